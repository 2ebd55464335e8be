// The runner agent: one per build host, N per farm. It connects to the
// scheduler, runs builds in containers on the host's Docker engine and
// uploads their artifacts to S3.
package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/acme/build-farm/internal/runner"
)

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	host, _ := os.Hostname()
	docker := runner.NewDocker(env("DOCKER_SOCKET", "/var/run/docker.sock"))
	up, err := runner.NewUploader(ctx, env("ARTIFACT_BUCKET", "build-farm-artifacts"))
	if err != nil {
		log.Fatalf("s3: %v", err)
	}
	agent := runner.NewAgent(env("RUNNER_ID", host), env("SCHEDULER_URL", "ws://scheduler:8080/runners/connect"),
		strings.Split(env("RUNNER_LABELS", "linux,amd64"), ","), docker, up, os.TempDir())
	monitor := runner.NewHealthMonitor(docker, agent, 10*time.Second)

	go monitor.Run(ctx)
	agent.Run(ctx)
}
