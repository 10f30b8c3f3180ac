package main

import "context"

// vendorScenarios adds the vendor emulators' scenarios (Okta, OneLogin,
// WSO2) as their adapters land.
func vendorScenarios(context.Context) ([]scenario, func(), error) {
	return nil, func() {}, nil
}
