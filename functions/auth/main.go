// Command auth serves sign-up, sign-in, sessions and the profile (/api/auth, /api/account/sessions|profile).
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("auth", app.Function{HTTP: app.Auth}) }
