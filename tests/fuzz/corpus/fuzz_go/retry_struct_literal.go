// Session store: retry-go around go-redis, whose client retries too.
package store

import (
	"context"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/redis/go-redis/v9"
)

type Store struct{ rdb *redis.Client }

func New(addr string) *Store {
	return &Store{rdb: redis.NewClient(&redis.Options{Addr: addr})}
}

func (s *Store) Save(ctx context.Context, key, value string) error {
	return retry.Do( // expect: AP-5
		func() error {
			return s.rdb.Set(ctx, key, value, time.Hour).Err()
		},
		retry.Attempts(3),
		retry.Delay(100*time.Millisecond),
	)
}
