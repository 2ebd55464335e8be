package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/acme/build-farm/internal/protocol"
)

const (
	StreamBuilds     = "BUILDS"
	SubjectRequested = "builds.requested"
	SubjectCancel    = "builds.cancel"
)

// Intake pulls build requests and cancellations from JetStream.
type Intake struct {
	js         nats.JetStreamContext
	dispatcher *Dispatcher
	store      *BuildStore
}

func NewIntake(js nats.JetStreamContext, d *Dispatcher, store *BuildStore) *Intake {
	return &Intake{js: js, dispatcher: d, store: store}
}

// Requests moves requested builds from the stream to the dispatcher.
func (in *Intake) Requests(ctx context.Context) error {
	sub, err := in.js.PullSubscribe(SubjectRequested, "scheduler", nats.BindStream(StreamBuilds))
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		msgs, err := sub.Fetch(16, nats.MaxWait(5*time.Second))
		if err != nil {
			if errors.Is(err, nats.ErrTimeout) {
				continue
			}
			return err
		}
		for _, msg := range msgs {
			var spec protocol.BuildSpec
			if err := json.Unmarshal(msg.Data, &spec); err != nil {
				log.Printf("intake: bad build request: %v", err)
				msg.Term()
				continue
			}
			// Ours now: ack, so that JetStream does not redeliver a build
			// that waits for a free runner longer than the ack wait.
			if err := msg.Ack(); err != nil {
				log.Printf("intake: ack %s: %v", spec.ID, err)
				continue
			}
			in.dispatcher.Submit(spec)
		}
	}
	return ctx.Err()
}

// Cancels records cancellations; a cancel is acked once it is stored.
func (in *Intake) Cancels(ctx context.Context) error {
	sub, err := in.js.PullSubscribe(SubjectCancel, "scheduler-cancel", nats.BindStream(StreamBuilds))
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		msgs, err := sub.Fetch(16, nats.MaxWait(5*time.Second))
		if err != nil {
			if errors.Is(err, nats.ErrTimeout) {
				continue
			}
			return err
		}
		for _, msg := range msgs {
			id := string(msg.Data)
			if err := in.store.Cancel(ctx, id); err != nil {
				log.Printf("intake: cancel %s: %v", id, err)
				msg.Nak()
				continue
			}
			msg.Ack()
		}
	}
	return ctx.Err()
}
