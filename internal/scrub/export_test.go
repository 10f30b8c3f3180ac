package scrub

// DecodedLen is the length of s once its escapes are decoded, as often as
// the text is, and its white space removed: the shortest needle String
// looks for in decoded text.
func DecodedLen(s string) int {
	l := decodeLevels([]byte(s), false)
	return len(skeleton(l[len(l)-1]))
}
