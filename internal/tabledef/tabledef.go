// Package tabledef describes vfpanel's single DynamoDB table: its keys, global
// secondary indexes and TTL attribute. The CDK stack, the local runner and the
// tests all create the table from this one description. Plain data.
package tabledef

// Key attribute names. Every item has PK and SK; items that need an inverted
// or global lookup also set GSI1PK/GSI1SK (and GSI2PK/GSI2SK).
const (
	PK     = "PK"
	SK     = "SK"
	GSI1PK = "GSI1PK"
	GSI1SK = "GSI1SK"
	GSI2PK = "GSI2PK"
	GSI2SK = "GSI2SK"

	// TTL is the epoch-seconds attribute DynamoDB uses to expire items
	// (sessions, rate-limit counters, OAuth state). TTL deletes late, so
	// readers must still compare it with the clock.
	TTL = "expiresAt"
)

// Index is a global secondary index projecting all attributes.
type Index struct {
	Name         string
	PartitionKey string
	SortKey      string
}

// Table is the shape of the table. All key attributes are strings.
type Table struct {
	// BaseName is the table name in AWS before the stage suffix; locally the
	// runner and tests choose their own names.
	BaseName     string
	PartitionKey string
	SortKey      string
	Indexes      []Index
	TTLAttribute string
}

// Main is vfpanel's table.
var Main = Table{
	BaseName:     "vfpanel",
	PartitionKey: PK,
	SortKey:      SK,
	Indexes: []Index{
		{Name: "GSI1", PartitionKey: GSI1PK, SortKey: GSI1SK},
		{Name: "GSI2", PartitionKey: GSI2PK, SortKey: GSI2SK},
	},
	TTLAttribute: TTL,
}
