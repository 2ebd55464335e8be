// Package protocol is what the scheduler and the runners say to each other
// over the runner WebSocket, and the states they say it in.
package protocol

// RunnerStatus is a runner as the scheduler's dispatcher sees it.
type RunnerStatus string

const (
	// RunnerIdle runners get the next build.
	RunnerIdle RunnerStatus = "idle"
	// RunnerBusy runners get nothing: a build runs, or the runner cannot take one.
	RunnerBusy RunnerStatus = "busy"
	// RunnerOffline runners have no connection to the scheduler.
	RunnerOffline RunnerStatus = "offline"
)

// BuildStatus is a build's state as the API reports it.
type BuildStatus string

const (
	BuildQueued    BuildStatus = "queued"
	BuildRunning   BuildStatus = "running"
	BuildSucceeded BuildStatus = "succeeded"
	BuildFailed    BuildStatus = "failed"
	BuildCancelled BuildStatus = "cancelled"
)

// ErrorCode says why a build failed; the scheduler's requeue policy reads it.
type ErrorCode string

const (
	ErrStepFailed        ErrorCode = "STEP_FAILED"        // a build step exited non-zero
	ErrImagePull         ErrorCode = "IMAGE_PULL"         // the registry refused the image
	ErrDockerUnreachable ErrorCode = "DOCKER_UNREACHABLE" // the runner's engine did not answer
	ErrLogStreamLost     ErrorCode = "LOG_STREAM_LOST"    // the attach socket broke
	ErrUploadFailed      ErrorCode = "UPLOAD_FAILED"      // artifacts did not reach S3
)
