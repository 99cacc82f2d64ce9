package stack

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// QueueMaxReceives is how often SQS hands a message (a billing shard) to
// its function before moving it to the dead-letter queue. Each try is
// harmless to repeat: the charge's cursor condition decides what is due.
const QueueMaxReceives = 5

// QueueMaxConcurrency caps the consumer's concurrent invocations, so a
// large run spreads over minutes instead of bursting at DynamoDB and
// VirtFusion's API all at once.
const QueueMaxConcurrency = 20

// newQueues creates each routes.Queues queue with its dead-letter queue,
// lets the producer send to it (its URL in the producer's environment) and
// has it invoke the consumer one message at a time. It returns the
// dead-letter queues by queue name, for the alarms.
func newQueues(stack awscdk.Stack, p Props, fns map[string]awslambda.Function, removal awscdk.RemovalPolicy) map[string]awssqs.Queue {
	dlqs := map[string]awssqs.Queue{}
	for _, q := range routes.Queues {
		producer, ok1 := fns[q.Producer]
		consumer, ok2 := fns[q.Function]
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("stack: queue %s names unknown functions %q, %q", q.Name, q.Producer, q.Function))
		}
		set, ok := Settings[q.Function]
		if !ok {
			set = defaultSettings
		}
		dlq := newDeadLetterQueue(stack, p, q.Name, removal)
		queue := awssqs.NewQueue(stack, jsii.String("Queue-"+q.Name), &awssqs.QueueProps{
			QueueName: jsii.String("vfpanel-" + p.Stage + "-" + q.Name),
			// AWS: at least six times the function timeout, so a message is
			// not handed out again while a slow try still runs.
			VisibilityTimeout: awscdk.Duration_Seconds(jsii.Number(6 * set.TimeoutSeconds)),
			// A shard is stale after a day; the next hourly run plans afresh.
			RetentionPeriod: awscdk.Duration_Days(jsii.Number(1)),
			Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
			EnforceSSL:      jsii.Bool(true),
			RemovalPolicy:   removal,
			DeadLetterQueue: &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(QueueMaxReceives)},
		})
		queue.GrantSendMessages(producer)
		producer.AddEnvironment(jsii.String(q.Env), queue.QueueUrl(), nil)
		consumer.AddEventSource(awslambdaeventsources.NewSqsEventSource(queue, &awslambdaeventsources.SqsEventSourceProps{
			BatchSize:               jsii.Number(1),
			ReportBatchItemFailures: jsii.Bool(true),
			MaxConcurrency:          jsii.Number(QueueMaxConcurrency),
		}))
		dlqs[q.Name] = dlq
	}
	return dlqs
}
