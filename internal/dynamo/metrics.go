package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Metrics stores samples as METRICS#<serverId> / <time> items, so a range
// of one server is one Query; they expire after MetricsRetention.
type Metrics struct{ Store }

var _ panel.MetricsStore = (*Metrics)(nil)

// MetricsRetention is how long samples are kept.
const MetricsRetention = 30 * 24 * time.Hour

// NewMetrics returns the metrics store.
func NewMetrics(s Store) *Metrics { return &Metrics{s} }

type metricItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	At        time.Time `dynamodbav:"at"`
	CPU       float64   `dynamodbav:"cpu"`
	MemUsed   int64     `dynamodbav:"memUsed"`
	MemTotal  int64     `dynamodbav:"memTotal"`
	DiskRead  int64     `dynamodbav:"diskRead"`
	DiskWrite int64     `dynamodbav:"diskWrite"`
	ExpiresAt int64     `dynamodbav:"expiresAt"`
}

func metricsPK(id int64) string { return MetricsPKPrefix + strconv.FormatInt(id, 10) }

// metricTime is fixed-width so sort keys order by time.
const metricTime = "2006-01-02T15:04:05Z"

// PutMetricSamples stores samples, 25 to a BatchWriteItem.
func (m *Metrics) PutMetricSamples(ctx context.Context, samples []panel.MetricSample) error {
	reqs := make([]types.WriteRequest, 0, len(samples))
	for _, s := range samples {
		at := s.At.UTC().Truncate(time.Second)
		av, err := attributevalue.MarshalMap(metricItem{PK: metricsPK(s.ServerID), SK: at.Format(metricTime), At: at,
			CPU: s.CPUPercent, MemUsed: s.MemUsedBytes, MemTotal: s.MemTotalBytes, DiskRead: s.DiskReadBytes,
			DiskWrite: s.DiskWriteBytes, ExpiresAt: at.Add(MetricsRetention).Unix()})
		if err != nil {
			return fmt.Errorf("dynamo: marshal metric sample: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
	}
	return m.batchWrite(ctx, "put metric samples", reqs)
}

// MetricSamples returns a server's samples in [since, until], oldest
// first; expired items DynamoDB has not yet deleted are left out.
func (m *Metrics) MetricSamples(ctx context.Context, serverID int64, since, until time.Time) ([]panel.MetricSample, error) {
	cutoff := m.Clock().Add(-MetricsRetention)
	if since.Before(cutoff) {
		since = cutoff
	}
	p := dynamodb.NewQueryPaginator(m.DB, &dynamodb.QueryInput{
		TableName:              &m.Table,
		KeyConditionExpression: aws.String("PK = :pk AND SK BETWEEN :a AND :b"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: metricsPK(serverID)},
			":a":  &types.AttributeValueMemberS{Value: since.UTC().Format(metricTime)},
			":b":  &types.AttributeValueMemberS{Value: until.UTC().Format(metricTime)},
		},
	})
	var out []panel.MetricSample
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, storeErr("query metric samples", err)
		}
		var items []metricItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: unmarshal metric samples: %w", err)
		}
		for _, it := range items {
			out = append(out, panel.MetricSample{ServerID: serverID, At: it.At, CPUPercent: it.CPU, MemUsedBytes: it.MemUsed,
				MemTotalBytes: it.MemTotal, DiskReadBytes: it.DiskRead, DiskWriteBytes: it.DiskWrite})
		}
	}
	return out, nil
}
