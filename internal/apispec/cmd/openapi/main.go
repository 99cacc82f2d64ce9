// Command openapi prints vfpanel's OpenAPI document, built from the route
// table and apispec.Ops:
//
//	go run ./internal/apispec/cmd/openapi > internal/openapi/openapi.json
package main

import (
	"fmt"
	"os"

	"github.com/vfpanel/vfpanel/internal/apispec"
	"github.com/vfpanel/vfpanel/internal/routes"
)

func main() {
	doc, err := apispec.Build(routes.Table, apispec.Ops)
	if err == nil {
		var b []byte
		if b, err = apispec.JSON(doc); err == nil {
			_, err = os.Stdout.Write(b)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
