// Package scheduler takes build requests, queues them on JetStream and hands
// them to idle runners over their WebSocket.
package scheduler

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/acme/build-farm/internal/protocol"
)

// BuildStore keeps each build's record (what the API shows) in a Redis hash.
type BuildStore struct {
	rdb *redis.Client
}

func NewBuildStore(addr string) *BuildStore {
	return &BuildStore{rdb: redis.NewClient(&redis.Options{Addr: addr})}
}

func buildKey(id string) string { return "build:" + id }

// Create records a new build: its source and its state, not its pipeline.
func (s *BuildStore) Create(ctx context.Context, id, repo, commit string) error {
	return s.rdb.HSet(ctx, buildKey(id),
		"repo", repo,
		"commit", commit,
		"status", string(protocol.BuildQueued),
		"created", time.Now().UTC().Format(time.RFC3339),
	).Err()
}

func (s *BuildStore) SetStatus(ctx context.Context, id string, st protocol.BuildStatus, detail string) error {
	return s.rdb.HSet(ctx, buildKey(id), "status", string(st), "detail", detail).Err()
}

func (s *BuildStore) Status(ctx context.Context, id string) (protocol.BuildStatus, error) {
	v, err := s.rdb.HGet(ctx, buildKey(id), "status").Result()
	return protocol.BuildStatus(v), err
}

func (s *BuildStore) Cancel(ctx context.Context, id string) error {
	return s.rdb.HSet(ctx, buildKey(id), "status", string(protocol.BuildCancelled)).Err()
}

// Ping answers whether Redis does.
func (s *BuildStore) Ping(ctx context.Context) error {
	return s.rdb.Ping(ctx).Err()
}
