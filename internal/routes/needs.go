package routes

import "slices"

// Needs is what one function may touch: the highest table access of its
// routes and schedules, and the union of their secrets (sorted).
type Needs struct {
	Table   int
	Secrets []string
	// SignedIn: some route needs a signed-in caller, so the function
	// checks sessions and Auth0 tokens.
	SignedIn bool
}

// NeedsOf computes a function's needs from the route table and schedules.
// Every function that serves HTTP also reads the origin secret, to check
// that requests came through CloudFront.
func NeedsOf(function string) Needs {
	var n Needs
	add := func(table int, secrets []string) {
		n.Table = max(n.Table, table)
		for _, s := range secrets {
			if !slices.Contains(n.Secrets, s) {
				n.Secrets = append(n.Secrets, s)
			}
		}
	}
	for _, r := range ForFunction(function) {
		add(r.Table, r.Secrets)
		add(TableNone, []string{SecretOrigin})
		n.SignedIn = n.SignedIn || r.Auth != Public
	}
	for _, s := range Schedules {
		if s.Function == function {
			add(s.Table, s.Secrets)
		}
	}
	for _, s := range Streams {
		if s.Function == function {
			add(s.Table, s.Secrets)
		}
	}
	for _, q := range Queues {
		if q.Function == function {
			add(q.Table, q.Secrets)
		}
	}
	slices.Sort(n.Secrets)
	return n
}
