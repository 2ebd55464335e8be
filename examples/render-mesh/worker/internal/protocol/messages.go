// Package protocol holds the messages a render worker and the control plane
// exchange over the control WebSocket. The control plane (TypeScript,
// control/src/protocol.ts) mirrors these strings.
package protocol

// Status is what a worker tells the control plane about itself.
type Status string

const (
	StatusIdle      Status = "idle"
	StatusRendering Status = "rendering"
	StatusBusy      Status = "busy"
)

// Message types on the control socket.
const (
	TypeRegister  = "register"
	TypeStatus    = "status"
	TypeAssign    = "assign"
	TypeProgress  = "progress"
	TypeJobDone   = "job_done"
	TypeJobFailed = "job_failed"
)

// Envelope is the first decode of every incoming message.
type Envelope struct {
	Type string `json:"type"`
}

// Register announces a worker and its GPU to the control plane.
type Register struct {
	Type     string `json:"type"`
	WorkerID string `json:"workerId"`
	GPU      string `json:"gpu"`
}

// StatusUpdate reports the worker's availability.
type StatusUpdate struct {
	Type     string `json:"type"`
	WorkerID string `json:"workerId"`
	Status   Status `json:"status"`
}

// Assign carries one frame range of a scene to render.
type Assign struct {
	Type       string `json:"type"`
	JobID      string `json:"jobId"`
	SceneURL   string `json:"sceneUrl"`
	FrameStart int    `json:"frameStart"`
	FrameEnd   int    `json:"frameEnd"`
}

// JobResult reports a finished or failed job.
type JobResult struct {
	Type      string `json:"type"`
	JobID     string `json:"jobId"`
	OutputURL string `json:"outputUrl,omitempty"`
	Error     string `json:"error,omitempty"`
}
