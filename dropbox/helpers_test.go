package dropbox_test

import "github.com/revokekit/revoke/internal/testkit"

const token = testkit.Token
