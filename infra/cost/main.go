// Command cost estimates vfpanel's monthly AWS bill for 100, 1,000 and
// 10,000 customers from measured per-request and per-billing-run figures
// (flags; defaults are the measurements and assumptions the README names)
// and AWS us-east-1 list prices. go run ./infra/cost
package main

import (
	"flag"
	"fmt"
)

// AWS list prices, us-east-1, checked 2026-12 (lambda, dynamodb on-demand,
// sqs, cloudfront, api gateway HTTP API pricing pages). Free tiers ignored.
const (
	lambdaGBs      = 0.0000133334 // $ per GB-s, arm64
	lambdaReq      = 0.20 / 1e6
	httpAPIReq     = 1.00 / 1e6 // first 300M per month
	dynamoWRU      = 0.625 / 1e6
	dynamoRRU      = 0.125 / 1e6
	sqsReq         = 0.40 / 1e6
	cloudfrontReq  = 0.01 / 1e4 // HTTPS, per request
	cloudfrontGB   = 0.085      // data out, first 10 TB
	hoursPerMonth  = 730
	secretsPerMo   = 0.40 * 7 // seven secrets
	wafPerMonth    = 5 + 5*1.0
	wafPerMillion  = 0.60
	cloudwatchAlrm = 0.10
)

func main() {
	apiPerCustomer := flag.Float64("api-requests", 1500, "API requests per customer per month (assumed: ~300 page views × 5 calls)")
	readsPerReq := flag.Float64("reads-per-request", 2, "DynamoDB reads per API request (measured: session GetItem + ~1 for the route; AuthMe is 2)")
	writesPerReq := flag.Float64("writes-per-request", 0.2, "DynamoDB writes per API request (assumed: 1 in 5 requests writes)")
	msPerReq := flag.Float64("ms-per-request", 40, "billed Lambda ms per API request at 256 MB (assumed; upstream VirtFusion calls included)")
	servers := flag.Float64("servers-per-customer", 4, "active servers per customer")
	kbPerView := flag.Float64("kb-per-view", 30, "CloudFront KB out per API request incl. the cached UI's share")
	shardSeconds := flag.Float64("shard-seconds", 2.5, "measured seconds per billing shard of 100 customers (BenchmarkHourlyShard)")
	waf := flag.Bool("waf", true, "count the WAF web ACL")
	flag.Parse()

	fmt.Printf("| customers | API requests/mo | Lambda | API Gateway | DynamoDB | CloudFront | SQS | WAF | fixed (secrets, alarms) | total/month |\n")
	fmt.Printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, customers := range []float64{100, 1000, 10000} {
		req := customers * *apiPerCustomer
		lambda := req*(*msPerReq/1000)*0.25*lambdaGBs + req*lambdaReq
		apigw := req * httpAPIReq
		dynamo := req*(*readsPerReq)*dynamoRRU + req*(*writesPerReq)*2*dynamoWRU
		cf := req*cloudfrontReq + req*(*kbPerView)/1e6*cloudfrontGB

		// Hourly billing: one shard per 100 customers each hour; per
		// server-hour a ledger entry and a cursor move, per customer a
		// balance update, all transactional (2 WRU each); the plan reads
		// the active-server index.
		shards := (customers + 99) / 100
		srv := customers * *servers
		lambda += hoursPerMonth * (shards*(*shardSeconds)*0.5*lambdaGBs + (shards+1)*lambdaReq + 5*1.0*lambdaGBs)
		dynamo += hoursPerMonth * (2*(2*srv+customers)*dynamoWRU + (srv*0.0625+customers)*dynamoRRU)
		sqs := hoursPerMonth * shards * 3.1 * sqsReq
		w := 0.0
		if *waf {
			w = wafPerMonth + req*wafPerMillion/1e6
		}
		fixed := secretsPerMo + 30*cloudwatchAlrm
		total := lambda + apigw + dynamo + cf + sqs + w + fixed
		fmt.Printf("| %.0f | %.0f | $%.2f | $%.2f | $%.2f | $%.2f | $%.2f | $%.2f | $%.2f | **$%.2f** |\n",
			customers, req, lambda, apigw, dynamo, cf, sqs, w, fixed, total)
	}
}
