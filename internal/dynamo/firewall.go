package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Firewall keeps the operator's firewall presets (FIREWALL / FWPRESETS, a
// JSON document with a version) and each interface's last change
// (FIREWALL / FWCHANGE#<server id, 20 digits>#<interface>).
type Firewall struct{ Store }

var _ panel.FirewallStore = (*Firewall)(nil)

// NewFirewall returns the firewall store.
func NewFirewall(s Store) *Firewall { return &Firewall{s} }

type firewallChangeItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	ServerID  int64     `dynamodbav:"serverId"`
	Interface string    `dynamodbav:"interface"`
	Enabled   bool      `dynamodbav:"enabled"`
	Presets   []string  `dynamodbav:"presets"`
	Status    string    `dynamodbav:"status"`
	Error     string    `dynamodbav:"error,omitempty"`
	Attempt   string    `dynamodbav:"attempt"`
	UpdatedAt time.Time `dynamodbav:"updatedAt"`
}

func firewallChangeKey(serverID int64, iface string) map[string]types.AttributeValue {
	return Key(pkFirewall, fmt.Sprintf("%s%020d#%s", skFwChange, serverID, iface))
}

// FirewallPresets implements panel.FirewallStore.
func (f *Firewall) FirewallPresets(ctx context.Context) (*panel.FirewallPresets, error) {
	out, err := f.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &f.Table, Key: Key(pkFirewall, skFwPresets), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr("get firewall presets", err)
	}
	p := &panel.FirewallPresets{Presets: []panel.FirewallPreset{}}
	doc, ok := out.Item["doc"].(*types.AttributeValueMemberS)
	if !ok {
		return p, nil
	}
	if err := json.Unmarshal([]byte(doc.Value), p); err != nil {
		return nil, fmt.Errorf("dynamo: decode firewall presets: %w", err)
	}
	return p, nil
}

// PutFirewallPresets implements panel.FirewallStore.
func (f *Firewall) PutFirewallPresets(ctx context.Context, p panel.FirewallPresets) error {
	doc, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("dynamo: encode firewall presets: %w", err)
	}
	in := &dynamodb.PutItemInput{TableName: &f.Table, Item: map[string]types.AttributeValue{
		"PK": S(pkFirewall), "SK": S(skFwPresets), "doc": S(string(doc)), "version": N(p.Version)}}
	if p.Version <= 1 {
		in.ConditionExpression = aws.String("attribute_not_exists(PK)")
	} else {
		in.ConditionExpression = aws.String("version = :v")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":v": N(p.Version - 1)}
	}
	_, err = f.DB.PutItem(ctx, in)
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "Someone else saved the firewall presets since you loaded them; reload and try again.")
	}
	return storeErr("put firewall presets", err)
}

// FirewallChange implements panel.FirewallStore.
func (f *Firewall) FirewallChange(ctx context.Context, serverID int64, iface string) (*panel.FirewallChange, error) {
	it, err := getItem[firewallChangeItem](ctx, f.Store, firewallChangeKey(serverID, iface), "firewall change")
	if err != nil {
		return nil, err
	}
	return &panel.FirewallChange{ServerID: it.ServerID, Interface: it.Interface, Enabled: it.Enabled, Presets: append([]string{}, it.Presets...),
		Status: it.Status, Error: it.Error, Attempt: it.Attempt, UpdatedAt: it.UpdatedAt}, nil
}

// StartFirewallChange implements panel.FirewallStore.
func (f *Firewall) StartFirewallChange(ctx context.Context, c panel.FirewallChange) error {
	key := firewallChangeKey(c.ServerID, c.Interface)
	it := firewallChangeItem{PK: pkFirewall, SK: key["SK"].(*types.AttributeValueMemberS).Value, ServerID: c.ServerID, Interface: c.Interface,
		Enabled: c.Enabled, Presets: c.Presets, Status: panel.FirewallPending, Attempt: c.Attempt, UpdatedAt: c.UpdatedAt}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("dynamo: marshal firewall change: %w", err)
	}
	_, err = f.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &f.Table, Item: av})
	return storeErr("put firewall change", err)
}

// FinishFirewallChange implements panel.FirewallStore: the write is
// conditional on the attempt, so a slow apply cannot overwrite the
// outcome of a newer one.
func (f *Firewall) FinishFirewallChange(ctx context.Context, serverID int64, iface, attempt, status, errMsg string, at time.Time) error {
	ts, err := attributevalue.Marshal(at)
	if err != nil {
		return fmt.Errorf("dynamo: marshal time: %w", err)
	}
	_, err = f.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &f.Table, Key: firewallChangeKey(serverID, iface),
		UpdateExpression:          aws.String("SET #s = :s, #e = :e, updatedAt = :t"),
		ConditionExpression:       aws.String("attempt = :a"),
		ExpressionAttributeNames:  map[string]string{"#s": "status", "#e": "error"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": S(status), ":e": S(errMsg), ":t": ts, ":a": S(attempt)}})
	if IsConditionFailed(err) {
		return nil
	}
	return storeErr("finish firewall change", err)
}
