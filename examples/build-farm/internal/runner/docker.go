// Package runner is the runner agent: it takes builds from the scheduler
// and runs each in a container on the local Docker engine.
package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/gorilla/websocket"
)

const apiVersion = "/v1.45"

// Docker speaks the Engine API over the daemon's unix socket.
type Docker struct {
	http   *http.Client
	dialer *websocket.Dialer
}

func NewDocker(socket string) *Docker {
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", socket)
	}
	return &Docker{
		http:   &http.Client{Transport: &http.Transport{DialContext: dial}},
		dialer: &websocket.Dialer{NetDialContext: dial, HandshakeTimeout: 10 * time.Second},
	}
}

// APIError is a non-2xx answer of the engine.
type APIError struct {
	Status  int
	Message string `json:"message"`
}

func (e *APIError) Error() string { return fmt.Sprintf("docker: %d %s", e.Status, e.Message) }

func (d *Docker) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://docker"+apiVersion+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := d.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		e := &APIError{Status: resp.StatusCode}
		json.NewDecoder(resp.Body).Decode(e)
		return e
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Ping is GET /_ping: does the engine answer?
func (d *Docker) Ping(ctx context.Context) error {
	return d.do(ctx, http.MethodGet, "/_ping", nil, nil)
}

// Pull fetches an image. Registries throttle and hiccup; the engine does
// not retry a pull, so this does (the only retry on this path).
func (d *Docker) Pull(ctx context.Context, image string) error {
	return retry.Do(
		func() error {
			return d.do(ctx, http.MethodPost, "/images/create?fromImage="+url.QueryEscape(image), nil, nil)
		},
		retry.Attempts(3),
		retry.Delay(2*time.Second),
		retry.Context(ctx),
	)
}

type ContainerConfig struct {
	Image      string   `json:"Image"`
	Cmd        []string `json:"Cmd"`
	Env        []string `json:"Env"`
	WorkingDir string   `json:"WorkingDir"`
	Labels     map[string]string
}

func (d *Docker) Create(ctx context.Context, cfg ContainerConfig) (string, error) {
	var out struct{ Id string }
	if err := d.do(ctx, http.MethodPost, "/containers/create", cfg, &out); err != nil {
		return "", err
	}
	return out.Id, nil
}

func (d *Docker) Start(ctx context.Context, id string) error {
	return d.do(ctx, http.MethodPost, "/containers/"+id+"/start", nil, nil)
}

// Attach opens the container's output as a WebSocket (stdout and stderr,
// from the start when logs is set).
func (d *Docker) Attach(ctx context.Context, id string, logs bool) (*websocket.Conn, error) {
	q := "stream=1&stdout=1&stderr=1"
	if logs {
		q += "&logs=1"
	}
	conn, _, err := d.dialer.DialContext(ctx, "ws://docker"+apiVersion+"/containers/"+id+"/attach/ws?"+q, nil)
	return conn, err
}

// ContainerState is the part of GET /containers/{id}/json a runner reads.
type ContainerState struct {
	Running  bool
	ExitCode int
}

func (d *Docker) Inspect(ctx context.Context, id string) (ContainerState, error) {
	var out struct{ State ContainerState }
	err := d.do(ctx, http.MethodGet, "/containers/"+id+"/json", nil, &out)
	return out.State, err
}

// Wait blocks until the container exits and returns its exit code.
func (d *Docker) Wait(ctx context.Context, id string) (int, error) {
	var out struct{ StatusCode int }
	err := d.do(ctx, http.MethodPost, "/containers/"+id+"/wait", nil, &out)
	return out.StatusCode, err
}

// Archive returns a tar of a path inside the container.
func (d *Docker) Archive(ctx context.Context, id, path string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		"http://docker"+apiVersion+"/containers/"+id+"/archive?path="+url.QueryEscape(path), nil)
	if err != nil {
		return nil, err
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, &APIError{Status: resp.StatusCode}
	}
	return resp.Body, nil
}

func (d *Docker) Remove(ctx context.Context, id string) error {
	return d.do(ctx, http.MethodDelete, "/containers/"+id+"?force=1", nil, nil)
}
