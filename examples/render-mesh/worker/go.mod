module github.com/rendermesh/worker

go 1.22

require (
	github.com/avast/retry-go/v4 v4.6.0
	github.com/gorilla/websocket v1.5.3
)
