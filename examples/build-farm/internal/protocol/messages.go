package protocol

import "encoding/json"

// MessageType is the "type" of every frame on the runner WebSocket.
type MessageType string

const (
	MsgRegister    MessageType = "REGISTER"     // runner -> scheduler, first frame
	MsgStatus      MessageType = "STATUS"       // runner -> scheduler: idle or busy
	MsgAssign      MessageType = "ASSIGN"       // scheduler -> runner: run this build
	MsgLog         MessageType = "LOG"          // runner -> scheduler: a chunk of build output
	MsgBuildDone   MessageType = "BUILD_DONE"   // runner -> scheduler
	MsgBuildFailed MessageType = "BUILD_FAILED" // runner -> scheduler
)

// BuildSpec is everything a runner needs to run a build: the pipeline as
// resolved by the API (image, steps, environment), not just its source.
type BuildSpec struct {
	ID      string            `json:"id"`
	Repo    string            `json:"repo"`
	Commit  string            `json:"commit"`
	Image   string            `json:"image"`
	Steps   []string          `json:"steps"`
	Env     map[string]string `json:"env,omitempty"`
	Outputs []string          `json:"outputs,omitempty"`
	Attempt int               `json:"attempt"`
}

// MarshalBinary lets go-redis store a spec as a value.
func (s BuildSpec) MarshalBinary() ([]byte, error) { return json.Marshal(s) }

// Message is one frame. Only the fields of its type are set.
type Message struct {
	Type     MessageType  `json:"type"`
	Runner   string       `json:"runner,omitempty"`
	Labels   []string     `json:"labels,omitempty"`
	Status   RunnerStatus `json:"status,omitempty"`
	Build    *BuildSpec   `json:"build,omitempty"`
	BuildID  string       `json:"build_id,omitempty"`
	ExitCode int          `json:"exit_code,omitempty"`
	Code     ErrorCode    `json:"code,omitempty"`
	Detail   string       `json:"detail,omitempty"`
	Chunk    []byte       `json:"chunk,omitempty"`
}

func Register(runner string, labels []string) Message {
	return Message{Type: MsgRegister, Runner: runner, Labels: labels}
}

func Status(runner string, st RunnerStatus) Message {
	return Message{Type: MsgStatus, Runner: runner, Status: st}
}

func Assign(spec BuildSpec) Message {
	return Message{Type: MsgAssign, Build: &spec}
}

func Log(buildID string, chunk []byte) Message {
	return Message{Type: MsgLog, BuildID: buildID, Chunk: chunk}
}

func Done(buildID string, exitCode int) Message {
	return Message{Type: MsgBuildDone, BuildID: buildID, ExitCode: exitCode}
}

func Failed(buildID string, code ErrorCode, detail string) Message {
	return Message{Type: MsgBuildFailed, BuildID: buildID, Code: code, Detail: detail}
}
