package main

import "context"

// vendorScenarios adds every vendor's scenarios, each started on its own
// fake.
func vendorScenarios(ctx context.Context) ([]scenario, func(), error) {
	var cleanups []func()
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	var out []scenario
	for _, add := range []func(context.Context) ([]scenario, func(), error){
		auth0Scenarios,
		cognitoScenarios,
		dropboxScenarios,
		githubScenarios,
		googleScenarios,
		hydraScenarios,
		keycloakScenarios,
		oktaScenarios,
		oneLoginScenarios,
		pingScenarios,
		salesforceScenarios,
		slackScenarios,
		wso2Scenarios,
		zitadelScenarios,
	} {
		sc, c, err := add(ctx)
		if c != nil {
			cleanups = append(cleanups, c)
		}
		if err != nil {
			return nil, cleanup, err
		}
		out = append(out, sc...)
	}
	return out, cleanup, nil
}
