package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Alerts stores every customer alert rule in one partition (AlertRulesPK),
// sorted by server: the sampler reads them all with one paged Query, a
// server's rules are a begins_with Query. Rules are few (at most
// panel.MaxAlertsPerServer per server) and small.
type Alerts struct{ Store }

var _ panel.AlertStore = (*Alerts)(nil)

// NewAlerts returns the alert store.
func NewAlerts(s Store) *Alerts { return &Alerts{s} }

type alertItem struct {
	PK              string    `dynamodbav:"PK"`
	SK              string    `dynamodbav:"SK"`
	ID              string    `dynamodbav:"id"`
	ServerID        int64     `dynamodbav:"serverId"`
	UserID          string    `dynamodbav:"userId"`
	Kind            string    `dynamodbav:"kind"`
	CPUPercent      int       `dynamodbav:"cpuPercent,omitempty"`
	Minutes         int       `dynamodbav:"minutes,omitempty"`
	TrafficPercent  int       `dynamodbav:"trafficPercent,omitempty"`
	CooldownMinutes int       `dynamodbav:"cooldownMinutes"`
	Email           bool      `dynamodbav:"email"`
	WebhookURL      string    `dynamodbav:"webhookUrl,omitempty"`
	Enabled         bool      `dynamodbav:"enabled"`
	CreatedAt       time.Time `dynamodbav:"createdAt"`
	BreachSince     time.Time `dynamodbav:"breachSince,omitempty"`
	LastFiredAt     time.Time `dynamodbav:"lastFiredAt,omitempty"`
	Firing          bool      `dynamodbav:"firing"`
	FiredKey        string    `dynamodbav:"firedKey,omitempty"`
	CheckedAt       time.Time `dynamodbav:"checkedAt,omitempty"`
	ExpectStopUntil time.Time `dynamodbav:"expectStopUntil,omitempty"`
	LastDetail      string    `dynamodbav:"lastDetail,omitempty"`
	Version         int64     `dynamodbav:"version"`
}

func alertServerPrefix(serverID int64) string {
	// Fixed width, so one server's prefix is never another's.
	return fmt.Sprintf("%s%020d#", skAlert, serverID)
}

func alertKey(serverID int64, id string) map[string]types.AttributeValue {
	return Key(AlertRulesPK, alertServerPrefix(serverID)+id)
}

func (it *alertItem) rule() *panel.AlertRule {
	return &panel.AlertRule{ID: it.ID, ServerID: it.ServerID, UserID: it.UserID, Kind: panel.AlertKind(it.Kind),
		CPUPercent: it.CPUPercent, Minutes: it.Minutes, TrafficPercent: it.TrafficPercent, CooldownMinutes: it.CooldownMinutes,
		Email: it.Email, WebhookURL: it.WebhookURL, Enabled: it.Enabled, CreatedAt: it.CreatedAt,
		BreachSince: it.BreachSince, LastFiredAt: it.LastFiredAt, Firing: it.Firing, FiredKey: it.FiredKey,
		CheckedAt: it.CheckedAt, ExpectStopUntil: it.ExpectStopUntil, LastDetail: it.LastDetail, Version: it.Version}
}

// CreateAlertRule implements panel.AlertStore. The per-server limit is
// read before the write: rules move no money, and two racing creates can
// at worst leave one rule over the limit.
func (a *Alerts) CreateAlertRule(ctx context.Context, r *panel.AlertRule) error {
	have, err := a.AlertRules(ctx, r.ServerID)
	if err != nil {
		return err
	}
	if len(have) >= panel.MaxAlertsPerServer {
		return panel.Errorf(panel.ECONFLICT, "A server can have at most %d alerts.", panel.MaxAlertsPerServer)
	}
	it := alertItem{PK: AlertRulesPK, SK: alertServerPrefix(r.ServerID) + r.ID, ID: r.ID, ServerID: r.ServerID,
		UserID: r.UserID, Kind: string(r.Kind), CPUPercent: r.CPUPercent, Minutes: r.Minutes, TrafficPercent: r.TrafficPercent,
		CooldownMinutes: r.CooldownMinutes, Email: r.Email, WebhookURL: r.WebhookURL, Enabled: r.Enabled,
		CreatedAt: r.CreatedAt.UTC()}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("dynamo: marshal alert rule: %w", err)
	}
	_, err = a.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &a.Table, Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "That alert exists already.")
	}
	if err != nil {
		return storeErr("put alert rule", err)
	}
	return nil
}

// UpdateAlertRule implements panel.AlertStore. A changed setting starts
// the rule's evaluation afresh (not firing, no breach).
func (a *Alerts) UpdateAlertRule(ctx context.Context, r *panel.AlertRule) error {
	vals, err := attributevalue.MarshalMap(map[string]any{":cpu": r.CPUPercent, ":min": r.Minutes, ":tp": r.TrafficPercent,
		":cd": r.CooldownMinutes, ":email": r.Email, ":hook": r.WebhookURL, ":en": r.Enabled, ":f": false, ":one": 1})
	if err != nil {
		return fmt.Errorf("dynamo: marshal alert update: %w", err)
	}
	_, err = a.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &a.Table, Key: alertKey(r.ServerID, r.ID),
		UpdateExpression: aws.String("SET cpuPercent = :cpu, minutes = :min, trafficPercent = :tp, cooldownMinutes = :cd, " +
			"email = :email, webhookUrl = :hook, enabled = :en, firing = :f, version = version + :one REMOVE breachSince"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: vals})
	if IsConditionFailed(err) {
		return panel.NotFound("alert")
	}
	if err != nil {
		return storeErr("update alert rule", err)
	}
	return nil
}

// DeleteAlertRule implements panel.AlertStore.
func (a *Alerts) DeleteAlertRule(ctx context.Context, serverID int64, id string) error {
	_, err := a.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &a.Table, Key: alertKey(serverID, id),
		ConditionExpression: aws.String("attribute_exists(PK)")})
	if IsConditionFailed(err) {
		return panel.NotFound("alert")
	}
	if err != nil {
		return storeErr("delete alert rule", err)
	}
	return nil
}

// AlertRules implements panel.AlertStore.
func (a *Alerts) AlertRules(ctx context.Context, serverID int64) ([]*panel.AlertRule, error) {
	rules, err := a.query(ctx, alertServerPrefix(serverID))
	if err != nil {
		return nil, err
	}
	// Sort keys order by id; ids are time-ordered, but say so explicitly.
	for i := 1; i < len(rules); i++ {
		for j := i; j > 0 && rules[j].CreatedAt.Before(rules[j-1].CreatedAt); j-- {
			rules[j], rules[j-1] = rules[j-1], rules[j]
		}
	}
	return rules, nil
}

// AllAlertRules implements panel.AlertStore.
func (a *Alerts) AllAlertRules(ctx context.Context) ([]*panel.AlertRule, error) {
	return a.query(ctx, skAlert)
}

func (a *Alerts) query(ctx context.Context, prefix string) ([]*panel.AlertRule, error) {
	p := dynamodb.NewQueryPaginator(a.DB, &dynamodb.QueryInput{TableName: &a.Table,
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(AlertRulesPK), ":p": S(prefix)}})
	var out []*panel.AlertRule
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, storeErr("query alert rules", err)
		}
		var items []alertItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			return nil, fmt.Errorf("dynamo: unmarshal alert rules: %w", err)
		}
		for i := range items {
			out = append(out, items[i].rule())
		}
	}
	return out, nil
}

// SaveAlertState implements panel.AlertStore: the state update is
// conditional on the version read, and the notifications it fires are put
// in the same transaction, so a breach notifies exactly once even when two
// runs overlap.
func (a *Alerts) SaveAlertState(ctx context.Context, r *panel.AlertRule, fire []panel.Notification) error {
	set := "SET firing = :firing, version = :next, lastDetail = :detail, firedKey = :fk"
	vals := map[string]types.AttributeValue{
		":firing": &types.AttributeValueMemberBOOL{Value: r.Firing}, ":next": N(r.Version + 1), ":v": N(r.Version),
		":detail": S(r.LastDetail), ":fk": S(r.FiredKey),
	}
	var remove []string
	for name, t := range map[string]time.Time{"breachSince": r.BreachSince, "lastFiredAt": r.LastFiredAt,
		"checkedAt": r.CheckedAt, "expectStopUntil": r.ExpectStopUntil} {
		if t.IsZero() {
			remove = append(remove, name)
			continue
		}
		set += ", " + name + " = :" + name
		vals[":"+name] = S(t.UTC().Format(time.RFC3339Nano))
	}
	expr := set
	if len(remove) > 0 {
		expr += " REMOVE "
		for i, n := range remove {
			if i > 0 {
				expr += ", "
			}
			expr += n
		}
	}
	items := []types.TransactWriteItem{{Update: &types.Update{TableName: &a.Table, Key: alertKey(r.ServerID, r.ID),
		UpdateExpression:          aws.String(expr),
		ConditionExpression:       aws.String("attribute_exists(PK) AND version = :v"),
		ExpressionAttributeValues: vals}}}
	for _, n := range fire {
		w, err := OutboxPut(a.Table, n)
		if err != nil {
			return err
		}
		items = append(items, w)
	}
	_, err := a.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "The alert %s changed meanwhile.", r.ID)
	}
	if err != nil {
		return storeErr("save alert state", err)
	}
	r.Version++
	return nil
}
