package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gorilla/websocket"

	"github.com/acme/build-farm/internal/protocol"
)

// Executor runs one build in one container and reports how it ended.
type Executor struct {
	docker   *Docker
	uploader *Uploader
	workDir  string
	send     func(protocol.Message) error
}

func containerConfig(spec protocol.BuildSpec) ContainerConfig {
	env := make([]string, 0, len(spec.Env))
	for k, v := range spec.Env {
		env = append(env, k+"="+v)
	}
	script := "git clone " + spec.Repo + " /workspace && cd /workspace && git checkout " + spec.Commit +
		" && " + strings.Join(spec.Steps, " && ")
	return ContainerConfig{
		Image: spec.Image, Cmd: []string{"sh", "-c", script}, Env: env, WorkingDir: "/",
		Labels: map[string]string{"build-farm.build": spec.ID},
	}
}

// classify names the failure for the scheduler's requeue policy.
func classify(err error) protocol.ErrorCode {
	var apiErr *APIError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, os.ErrNotExist):
		return protocol.ErrDockerUnreachable
	case errors.As(err, &apiErr) && apiErr.Status == 404:
		return protocol.ErrImagePull
	default:
		return protocol.ErrStepFailed
	}
}

func (e *Executor) fail(buildID string, code protocol.ErrorCode, err error) error {
	log.Printf("build %s: %s: %v", buildID, code, err)
	return e.send(protocol.Failed(buildID, code, err.Error()))
}

// Run pulls the image, starts the build's container, streams its output
// to the scheduler, waits for it to exit and uploads its outputs.
func (e *Executor) Run(ctx context.Context, spec protocol.BuildSpec) error {
	if err := e.docker.Pull(ctx, spec.Image); err != nil {
		return e.fail(spec.ID, classify(err), err)
	}
	id, err := e.docker.Create(ctx, containerConfig(spec))
	if err != nil {
		return e.fail(spec.ID, classify(err), err)
	}
	defer e.docker.Remove(context.Background(), id)
	conn, err := e.docker.Attach(ctx, id, true)
	if err != nil {
		return e.fail(spec.ID, classify(err), err)
	}
	defer conn.Close()
	if err := e.docker.Start(ctx, id); err != nil {
		return e.fail(spec.ID, classify(err), err)
	}

	for {
		_, chunk, err := conn.ReadMessage()
		if err != nil {
			if websocket.IsCloseError(err, websocket.CloseNormalClosure) || errors.Is(err, io.EOF) {
				break
			}
			return e.fail(spec.ID, protocol.ErrLogStreamLost, err)
		}
		e.send(protocol.Log(spec.ID, chunk))
	}

	exit, err := e.docker.Wait(ctx, id)
	if err != nil {
		return e.fail(spec.ID, classify(err), err)
	}
	if exit != 0 {
		return e.fail(spec.ID, protocol.ErrStepFailed, fmt.Errorf("exit code %d", exit))
	}
	files, err := e.collect(ctx, id, spec)
	if err != nil {
		return e.fail(spec.ID, classify(err), err)
	}
	for _, f := range files {
		if err := e.uploader.Upload(ctx, spec.ID, f); err != nil {
			return e.fail(spec.ID, protocol.ErrUploadFailed, err)
		}
	}
	return e.send(protocol.Done(spec.ID, exit))
}

// collect copies each declared output out of the container as a tar file.
func (e *Executor) collect(ctx context.Context, id string, spec protocol.BuildSpec) ([]string, error) {
	var files []string
	for i, p := range spec.Outputs {
		rc, err := e.docker.Archive(ctx, id, filepath.Join("/workspace", p))
		if err != nil {
			return files, err
		}
		dst := filepath.Join(e.workDir, spec.ID+"-"+string(rune('a'+i))+".tar")
		f, err := os.Create(dst)
		if err == nil {
			_, err = io.Copy(f, rc)
			f.Close()
		}
		rc.Close()
		if err != nil {
			return files, err
		}
		files = append(files, dst)
	}
	return files, nil
}
