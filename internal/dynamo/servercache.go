package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// ServerSnapshots keeps the last known view of each server as
// SRVSNAP#<id> / META items holding the server as JSON. They expire after
// SnapshotRetention; the webhook refreshes or deletes them.
type ServerSnapshots struct{ Store }

var _ panel.ServerSnapshots = (*ServerSnapshots)(nil)

// SnapshotRetention is how long a server snapshot outlives its last refresh.
const SnapshotRetention = 7 * 24 * time.Hour

// NewServerSnapshots returns the snapshot store.
func NewServerSnapshots(s Store) *ServerSnapshots { return &ServerSnapshots{s} }

type snapshotItem struct {
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	OwnerVFID int64     `dynamodbav:"ownerVfId"`
	Server    string    `dynamodbav:"server"` // panel.Server as JSON
	UpdatedAt time.Time `dynamodbav:"updatedAt"`
	ExpiresAt int64     `dynamodbav:"expiresAt"`
}

func snapshotPK(id int64) string { return pkSnapshot + strconv.FormatInt(id, 10) }

// PutServerSnapshots stores servers, 25 to a batch.
func (st *ServerSnapshots) PutServerSnapshots(ctx context.Context, servers []*panel.Server) error {
	now := st.Clock()
	var reqs []types.WriteRequest
	for _, s := range servers {
		b, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("dynamo: marshal server %d: %w", s.ID, err)
		}
		av, err := attributevalue.MarshalMap(snapshotItem{PK: snapshotPK(s.ID), SK: skMeta, OwnerVFID: s.OwnerVFID,
			Server: string(b), UpdatedAt: now.UTC(), ExpiresAt: now.Add(SnapshotRetention).Unix()})
		if err != nil {
			return fmt.Errorf("dynamo: marshal snapshot %d: %w", s.ID, err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
	}
	return st.batchWrite(ctx, "put server snapshots", reqs)
}

// ServerSnapshots returns the unexpired snapshots among ids, 100 to a batch.
func (st *ServerSnapshots) ServerSnapshots(ctx context.Context, ids []int64) (map[int64]*panel.Server, error) {
	out := make(map[int64]*panel.Server, len(ids))
	now := st.Clock().Unix()
	for len(ids) > 0 {
		n := min(len(ids), 100)
		keys := make([]map[string]types.AttributeValue, 0, n)
		seen := map[int64]bool{}
		for _, id := range ids[:n] {
			if !seen[id] {
				seen[id] = true
				keys = append(keys, Key(snapshotPK(id), skMeta))
			}
		}
		ids = ids[n:]
		req := map[string]types.KeysAndAttributes{st.Table: {Keys: keys}}
		for try := 0; len(req) > 0 && try < 5; try++ {
			res, err := st.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, storeErr("get server snapshots", err)
			}
			for _, av := range res.Responses[st.Table] {
				var it snapshotItem
				if err := attributevalue.UnmarshalMap(av, &it); err != nil {
					return nil, fmt.Errorf("dynamo: unmarshal snapshot: %w", err)
				}
				if it.ExpiresAt > 0 && now >= it.ExpiresAt {
					continue
				}
				var s panel.Server
				if err := json.Unmarshal([]byte(it.Server), &s); err != nil {
					return nil, fmt.Errorf("dynamo: decode snapshot %s: %w", it.PK, err)
				}
				s.OwnerVFID = it.OwnerVFID
				out[s.ID] = &s
			}
			req = res.UnprocessedKeys
		}
	}
	return out, nil
}

// DeleteServerSnapshot forgets a server.
func (st *ServerSnapshots) DeleteServerSnapshot(ctx context.Context, id int64) error {
	_, err := st.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &st.Table, Key: Key(snapshotPK(id), skMeta)})
	if err != nil {
		return storeErr("delete server snapshot", err)
	}
	return nil
}
