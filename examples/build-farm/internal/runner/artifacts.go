package runner

import (
	"context"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/cenkalti/backoff/v4"
)

// Uploader puts build artifacts into the farm's bucket, one key per build.
type Uploader struct {
	s3     *s3.Client
	bucket string
}

func NewUploader(ctx context.Context, bucket string) (*Uploader, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &Uploader{
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.RetryMaxAttempts = 5
		}),
		bucket: bucket,
	}, nil
}

// Upload stores one artifact under artifacts/<build>/<file>. Keys derive
// from the build id, so a second upload of the same build overwrites.
func (u *Uploader) Upload(ctx context.Context, buildID, path string) error {
	key := "artifacts/" + buildID + "/" + filepath.Base(path)
	return backoff.Retry(func() error {
		f, err := os.Open(path)
		if err != nil {
			return backoff.Permanent(err)
		}
		defer f.Close()
		_, err = u.s3.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(u.bucket),
			Key:    aws.String(key),
			Body:   f,
		})
		return err
	}, backoff.WithContext(backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 4), ctx))
}
