package stack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// Functions whose errors get their own, more specific alarm.
const (
	webhooksFunction = "webhooks"
	jobsFunction     = "jobs"
)

// newAlarms sends every alarm to one SNS topic.
func newAlarms(stack awscdk.Stack, p Props, api awsapigatewayv2.HttpApi, accessLogs awslogs.LogGroup,
	fns map[string]awslambda.Function, dlqs map[string]awssqs.Queue, table awsdynamodb.TableV2) {
	topic := awssns.NewTopic(stack, jsii.String("Alarms"), &awssns.TopicProps{
		TopicName:   jsii.String("vfpanel-" + p.Stage + "-alarms"),
		DisplayName: jsii.String("vfpanel " + p.Stage + " alarms"),
		EnforceSSL:  jsii.Bool(true),
	})
	if p.AlarmEmail != "" {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(p.AlarmEmail), nil))
	}
	if p.BetterStackAlarmWebhookURL != "" {
		// Raw delivery off: Better Stack reads SNS's JSON envelope (and
		// confirms the subscription from it).
		topic.AddSubscription(awssnssubscriptions.NewUrlSubscription(jsii.String(p.BetterStackAlarmWebhookURL),
			&awssnssubscriptions.UrlSubscriptionProps{Protocol: awssns.SubscriptionProtocol_HTTPS}))
	}
	action := awscloudwatchactions.NewSnsAction(topic)
	five := awscdk.Duration_Minutes(jsii.Number(5))
	sum := &awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}

	alarm := func(id, description string, metric awscloudwatch.IMetric, threshold, periods float64) {
		a := awscloudwatch.NewAlarm(stack, jsii.String("Alarm-"+id), &awscloudwatch.AlarmProps{
			AlarmName:          jsii.String("vfpanel-" + p.Stage + "-" + id),
			AlarmDescription:   jsii.String(description),
			Metric:             metric,
			Threshold:          jsii.Number(threshold),
			EvaluationPeriods:  jsii.Number(periods),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		a.AddAlarmAction(action)
		a.AddOkAction(action)
	}

	alarm("api-5xx-rate", "More than 5% of API requests returned 5xx over 5 minutes.",
		awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression: jsii.String("IF(requests > 0, 100 * errors / requests, 0)"),
			Label:      jsii.String("5xx %"),
			Period:     five,
			UsingMetrics: &map[string]awscloudwatch.IMetric{
				"errors":   api.MetricServerError(sum),
				"requests": api.MetricCount(sum),
			},
		}), 5, 1)

	for _, name := range deployedFunctions() {
		fn := fns[name]
		alarm(name+"-throttles", "Lambda "+name+" was throttled.", fn.MetricThrottles(sum), 1, 1)
		switch name {
		case webhooksFunction:
			// The proxy turns handler errors into 5xx responses, not Lambda
			// errors, so count both.
			http5xx := awslogs.NewMetricFilter(stack, jsii.String("Webhook5xx"), &awslogs.MetricFilterProps{
				LogGroup:        accessLogs,
				FilterPattern:   awslogs.FilterPattern_Literal(jsii.String(WebhookFailurePattern())),
				MetricNamespace: jsii.String("vfpanel/" + p.Stage),
				MetricName:      jsii.String("Webhook5xx"),
				MetricValue:     jsii.String("1"),
			}).Metric(sum)
			alarm("webhook-failures", "A PayPal or VirtFusion webhook delivery failed (5xx or function error); "+
				"the sender retries, but check the logs.",
				awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
					Expression: jsii.String("FILL(errors, 0) + FILL(http5xx, 0)"),
					Label:      jsii.String("webhook failures"),
					Period:     five,
					UsingMetrics: &map[string]awscloudwatch.IMetric{
						"errors":  fn.MetricErrors(sum),
						"http5xx": http5xx,
					},
				}), 1, 1)
		case jobsFunction:
			alarm("billing-run-failures", "The scheduled billing run ("+scheduleNames()+") failed.",
				fn.MetricErrors(sum), 1, 1)
		default:
			alarm(name+"-errors", "Lambda "+name+" returned errors.", fn.MetricErrors(sum), 1, 1)
		}
	}

	for name, q := range dlqs {
		why := "Stream records for " + name + " failed every retry and wait in " +
			"the dead-letter queue; the outbox sweep still sends their messages, but check the logs."
		if slices.ContainsFunc(routes.Queues, func(q routes.Queue) bool { return q.Name == name }) {
			why = "Messages of the " + name + " queue failed " + fmt.Sprint(QueueMaxReceives) + " tries and wait in its " +
				"dead-letter queue (billing shards: the next hourly run charges their hours); check the logs."
		} else if slices.ContainsFunc(routes.Schedules, func(s routes.Schedule) bool { return s.Name == name }) {
			why = "EventBridge could not invoke the " + name + " schedule's function; the next run catches up, but check its permissions."
		}
		alarm(name+"-dead-letters", why,
			q.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Maximum")}), 1, 1)
	}

	if p.wafEnabled() {
		alarm("waf-auth-rate-limited", "WAF blocked a client sending over "+fmt.Sprint(WAFRateLimits[0].Limit)+
			" requests to /api/auth/ in 5 minutes (credential stuffing?); see the web ACL's sampled requests.",
			WAFMetric(p.Stage, "BlockedRequests", WAFRateLimits[0].Name), 1, 1)
		alarm("waf-blocked-surge", "WAF blocked over 500 requests in 5 minutes; see the web ACL's sampled requests.",
			WAFMetric(p.Stage, "BlockedRequests", "ALL"), 500, 1)
	}

	alarm("dynamodb-throttles", "DynamoDB throttled reads or writes on the table.",
		awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression: jsii.String("FILL(reads, 0) + FILL(writes, 0)"),
			Label:      jsii.String("throttle events"),
			Period:     five,
			UsingMetrics: &map[string]awscloudwatch.IMetric{
				"reads":  table.Metric(jsii.String("ReadThrottleEvents"), sum),
				"writes": table.Metric(jsii.String("WriteThrottleEvents"), sum),
			},
		}), 1, 1)
}

// WebhookFailurePattern matches access log lines of webhook routes that
// answered 5xx.
func WebhookFailurePattern() string {
	var keys []string
	for _, r := range routes.ForFunction(webhooksFunction) {
		keys = append(keys, `$.routeKey = "`+r.Method+" "+r.APIGatewayPath()+`"`)
	}
	return "{ $.status >= 500 && (" + strings.Join(keys, " || ") + ") }"
}

func scheduleNames() string {
	var names []string
	for _, s := range routes.Schedules {
		if s.Function == jobsFunction {
			names = append(names, s.Name)
		}
	}
	return strings.Join(names, ", ")
}
