package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// deployedFunctions are the HTTP and scheduled functions of the route table
// plus the functions the table's stream and the queues invoke.
func deployedFunctions() []string {
	out := append([]string(nil), routes.Functions...)
	for _, s := range routes.Streams {
		out = append(out, s.Function)
	}
	for _, q := range routes.Queues {
		out = append(out, q.Function)
	}
	return out
}

// StreamRetryAttempts is how often Lambda retries a stream batch (bisecting
// it) before the records go to the dead-letter queue. The handler reports
// only records whose state it could not record, so this is about DynamoDB
// trouble; failed sends retry through the outbox itself.
const StreamRetryAttempts = 5

// StreamFilter is the event filter of a stream function: INSERTs of items
// whose partition key starts with the stream's prefix.
func StreamFilter(s routes.Stream) map[string]any {
	return map[string]any{
		"eventName": awslambda.FilterRule_IsEqual(jsii.String("INSERT")),
		"dynamodb": map[string]any{"Keys": map[string]any{"PK": map[string]any{
			"S": awslambda.FilterRule_BeginsWith(jsii.String(s.KeyPrefix))}}},
	}
}

// newStreamSources connects each stream function to the table's stream,
// with a dead-letter queue for records that fail every retry. It returns
// the queues by function, for the alarms.
func newStreamSources(stack awscdk.Stack, p Props, table awsdynamodb.TableV2, fns map[string]awslambda.Function,
	removal awscdk.RemovalPolicy) map[string]awssqs.Queue {
	dlqs := map[string]awssqs.Queue{}
	for _, s := range routes.Streams {
		dlq := newDeadLetterQueue(stack, p, s.Name, removal)
		filter := StreamFilter(s)
		fns[s.Function].AddEventSource(awslambdaeventsources.NewDynamoEventSource(table, &awslambdaeventsources.DynamoEventSourceProps{
			StartingPosition:        awslambda.StartingPosition_TRIM_HORIZON,
			BatchSize:               jsii.Number(10),
			BisectBatchOnError:      jsii.Bool(true),
			ReportBatchItemFailures: jsii.Bool(true),
			RetryAttempts:           jsii.Number(StreamRetryAttempts),
			MaxRecordAge:            awscdk.Duration_Hours(jsii.Number(24)),
			OnFailure:               awslambdaeventsources.NewSqsDlq(dlq),
			Filters:                 &[]*map[string]any{awslambda.FilterCriteria_Filter(&filter)},
		}))
		dlqs[s.Function] = dlq
	}
	return dlqs
}

// newDeadLetterQueue creates an encrypted, TLS-only queue that keeps what
// failed every retry for 14 days ("DLQ-<name>", "vfpanel-<stage>-<name>-dlq").
func newDeadLetterQueue(stack awscdk.Stack, p Props, name string, removal awscdk.RemovalPolicy) awssqs.Queue {
	return awssqs.NewQueue(stack, jsii.String("DLQ-"+name), &awssqs.QueueProps{
		QueueName:       jsii.String("vfpanel-" + p.Stage + "-" + name + "-dlq"),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RemovalPolicy:   removal,
	})
}
