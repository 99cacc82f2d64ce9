// Command notify sends customer mail and staff alerts from the outbox: the
// table's DynamoDB stream (INSERTs of OUTBOX# items) invokes it.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("notify", app.Function{Stream: app.Notify}) }
