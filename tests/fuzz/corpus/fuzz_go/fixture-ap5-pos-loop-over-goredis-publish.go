// Event publisher: a hand-written retry loop over a go-redis stream append.
package events

import (
	"context"
	"log"
	"time"

	"github.com/redis/go-redis/v9"
)

var rdb = redis.NewClient(&redis.Options{Addr: "redis:6379"})

func Publish(ctx context.Context, stream string, fields map[string]any) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ { // expect: AP-5
		err = rdb.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: fields}).Err()
		if err != nil {
			log.Printf("publish to %s failed (attempt %d): %v", stream, attempt+1, err)
			time.Sleep(time.Duration(1<<attempt) * 100 * time.Millisecond)
			continue
		}
		return nil
	}
	return err
}
