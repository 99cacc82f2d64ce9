package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// RateLimiter counts attempts in fixed windows: one RATE#<key>#<window> /
// META item per key and window, incremented (and, by Undo, decremented)
// atomically and expired by TTL.
type RateLimiter struct{ Store }

var _ panel.RateLimiter = (*RateLimiter)(nil)

// NewRateLimiter returns the limiter.
func NewRateLimiter(s Store) *RateLimiter { return &RateLimiter{s} }

// Allow counts one attempt and refuses it past limit in this window.
func (rl *RateLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) error {
	now := rl.Clock()
	w := window.Milliseconds()
	idx := now.UnixMilli() / w
	end := time.UnixMilli((idx + 1) * w)
	out, err := rl.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &rl.Table,
		Key:                       Key(pkRate+key+"#"+strconv.FormatInt(idx, 10), skMeta),
		UpdateExpression:          aws.String("ADD n :one SET expiresAt = :exp"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": N(1), ":exp": N(end.Add(time.Minute).Unix())},
		ReturnValues:              types.ReturnValueUpdatedNew})
	if err != nil {
		return storeErr("rate limit "+key, err)
	}
	var n int64
	if v, ok := out.Attributes["n"].(*types.AttributeValueMemberN); ok {
		n, _ = strconv.ParseInt(v.Value, 10, 64)
	}
	if n > int64(limit) {
		wait := int(end.Sub(now).Round(time.Second).Seconds())
		if wait < 1 {
			wait = 1
		}
		return &panel.Error{Code: panel.ERATELIMITED, RetryAfter: wait,
			Message: fmt.Sprintf("Too many attempts. Try again in %s.", humanWait(wait))}
	}
	return nil
}

// Undo takes back one attempt counted in the current window, if any.
func (rl *RateLimiter) Undo(ctx context.Context, key string, window time.Duration) error {
	idx := rl.Clock().UnixMilli() / window.Milliseconds()
	_, err := rl.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &rl.Table,
		Key:                       Key(pkRate+key+"#"+strconv.FormatInt(idx, 10), skMeta),
		UpdateExpression:          aws.String("ADD n :minus"),
		ConditionExpression:       aws.String("n > :zero"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":minus": N(-1), ":zero": N(0)}})
	if err != nil && !IsConditionFailed(err) {
		return storeErr("rate limit undo "+key, err)
	}
	return nil
}

func humanWait(sec int) string {
	if sec < 90 {
		return strconv.Itoa(sec) + " seconds"
	}
	return strconv.Itoa((sec+59)/60) + " minutes"
}
