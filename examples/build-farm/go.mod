module github.com/acme/build-farm

go 1.22

require (
	github.com/avast/retry-go/v4 v4.6.0
	github.com/aws/aws-sdk-go-v2 v1.30.3
	github.com/aws/aws-sdk-go-v2/config v1.27.27
	github.com/aws/aws-sdk-go-v2/service/s3 v1.58.2
	github.com/cenkalti/backoff/v4 v4.3.0
	github.com/gorilla/websocket v1.5.3
	github.com/nats-io/nats.go v1.36.0
	github.com/redis/go-redis/v9 v9.6.1
)
