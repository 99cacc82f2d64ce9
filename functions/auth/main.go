// Command auth serves sign-up, sign-in, sessions and the profile (/api/auth, /api/account/sessions|profile).
package main

import (
	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() { app.RunHTTP("auth", app.Auth, config.NeedAuth0, config.NeedVirtFusion) }
