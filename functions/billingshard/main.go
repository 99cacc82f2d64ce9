// Command billingshard charges one shard of the hourly billing run: the jobs
// function queues the shards in SQS, whose event source mapping invokes this
// function with one shard per invocation.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("billingshard", app.Function{Queue: app.BillingShard}) }
