// Package dynamo is vfpanel's DynamoDB storage: the client, the table built
// from tabledef, and one file per kind of item (sessions, users, ledger, …).
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/awsenv"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/tabledef"
)

// NewClient returns a DynamoDB client. With an endpoint (DynamoDB Local) it
// uses static dummy credentials, so no AWS account or profile is needed.
func NewClient(ctx context.Context, region, endpoint string) (*dynamodb.Client, error) {
	cfg := awsenv.Local(region)
	if endpoint == "" {
		var err error
		if cfg, err = awsenv.Config(region); err != nil {
			return nil, fmt.Errorf("dynamo: %w", err)
		}
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			// DynamoDB Local's CRC32 headers do not always match its
			// (re-encoded) bodies; the SDK would only log warnings.
			o.DisableValidateResponseChecksum = true
		}
	}), nil
}

// CreateTable creates the table described by tabledef.Main under name (if it
// does not exist yet) and enables TTL. Used by the local runner and tests;
// in AWS the CDK stack creates the table.
func CreateTable(ctx context.Context, db *dynamodb.Client, name string) error {
	def := tabledef.Main
	attrs := map[string]bool{def.PartitionKey: true, def.SortKey: true}
	var gsis []types.GlobalSecondaryIndex
	for _, ix := range def.Indexes {
		attrs[ix.PartitionKey], attrs[ix.SortKey] = true, true
		gsis = append(gsis, types.GlobalSecondaryIndex{
			IndexName: aws.String(ix.Name),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(ix.PartitionKey), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(ix.SortKey), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		})
	}
	var defs []types.AttributeDefinition
	for a := range attrs {
		defs = append(defs, types.AttributeDefinition{AttributeName: aws.String(a), AttributeType: types.ScalarAttributeTypeS})
	}
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: defs,
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(def.PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(def.SortKey), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: gsis,
		BillingMode:            types.BillingModePayPerRequest,
	})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("dynamo: create table %s: %w", name, err)
	}
	_, err = db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(def.TTLAttribute), Enabled: aws.Bool(true)},
	})
	if err != nil && !isTTLAlreadyEnabled(err) {
		return fmt.Errorf("dynamo: enable ttl on %s: %w", name, err)
	}
	return nil
}

func isTTLAlreadyEnabled(err error) bool {
	var ve interface{ ErrorMessage() string }
	return errors.As(err, &ve) && (strings.Contains(ve.ErrorMessage(), "already enabled") || strings.Contains(ve.ErrorMessage(), "TimeToLive is already"))
}

// Store is the base every storage type embeds: the client and table name.
type Store struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time // injectable clock; time.Now when nil
}

// NewStore returns a Store for table.
func NewStore(db *dynamodb.Client, table string) Store {
	return Store{DB: db, Table: table, Now: time.Now}
}

// Clock returns the store's current time.
func (s Store) Clock() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Ping checks that DynamoDB answers and the table exists.
func (s Store) Ping(ctx context.Context) error {
	_, err := s.DB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.Table)})
	if err != nil {
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The database is not answering.", Err: fmt.Errorf("dynamo: describe table %s: %w", s.Table, err)}
	}
	return nil
}

// IsConditionFailed reports whether err is a failed condition expression,
// on a single write or in any item of a transaction.
func IsConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return true
	}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		for _, r := range tce.CancellationReasons {
			if r.Code != nil && *r.Code == "ConditionalCheckFailed" {
				return true
			}
		}
	}
	return false
}

// S and N build attribute values tersely.
func S(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// N builds a number attribute value.
func N(v int64) types.AttributeValue { return &types.AttributeValueMemberN{Value: fmt.Sprint(v)} }

// Key builds a primary key.
func Key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{tabledef.PK: S(pk), tabledef.SK: S(sk)}
}
