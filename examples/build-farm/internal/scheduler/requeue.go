package scheduler

import (
	"context"
	"encoding/json"
	"log"

	"github.com/nats-io/nats.go"

	"github.com/acme/build-farm/internal/protocol"
)

// RequeuePolicy gives a failed build another runner when the failure was
// the runner's, not the build's.
type RequeuePolicy struct {
	js          nats.JetStreamContext
	MaxAttempts int
}

func NewRequeuePolicy(js nats.JetStreamContext) *RequeuePolicy {
	return &RequeuePolicy{js: js, MaxAttempts: 3}
}

// retryable: the error codes another runner may not meet.
var retryable = map[protocol.ErrorCode]bool{
	protocol.ErrDockerUnreachable: true,
	protocol.ErrLogStreamLost:     true,
	protocol.ErrImagePull:         true,
}

// Maybe publishes the build again when its code is retryable and it has
// attempts left. A failed step or upload is the build's own outcome.
func (p *RequeuePolicy) Maybe(ctx context.Context, spec protocol.BuildSpec, code protocol.ErrorCode) (bool, error) {
	if !retryable[code] || spec.Attempt+1 >= p.MaxAttempts {
		return false, nil
	}
	spec.Attempt++
	data, err := json.Marshal(spec)
	if err != nil {
		return false, err
	}
	if _, err := p.js.Publish(SubjectRequested, data, nats.Context(ctx)); err != nil {
		return false, err
	}
	log.Printf("requeue: build %s attempt %d after %s", spec.ID, spec.Attempt+1, code)
	return true, nil
}
