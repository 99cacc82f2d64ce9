// Package simstate keeps a simulator's state in a JSON file across restarts
// of make dev: debounced atomic saves and a clear error for unusable files.
package simstate

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// saveInterval is the debounce for state-file writes: a burst of changes
// costs one write at most this long after the first of them.
const saveInterval = 500 * time.Millisecond

// Persister writes a simulator's state file: debounced after changes and
// once more on close. A nil *Persister (no StateFile) does nothing.
type Persister struct {
	path     string
	snapshot func() ([]byte, error) // takes the simulator's lock itself
	log      *slog.Logger

	mu     sync.Mutex // guards timer and closed; taken under the simulator's lock
	timer  *time.Timer
	closed bool
	wg     sync.WaitGroup // pending timer callbacks

	saveMu sync.Mutex // one write at a time, so an older snapshot never lands last
}

// New returns a Persister for path, or nil when path is empty.
func New(path string, log *slog.Logger, snapshot func() ([]byte, error)) *Persister {
	if path == "" {
		return nil
	}
	return &Persister{path: path, snapshot: snapshot, log: log}
}

// MarkDirty schedules a save. Safe to call with the simulator's lock held.
func (p *Persister) MarkDirty() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.timer != nil {
		return
	}
	p.wg.Add(1)
	p.timer = time.AfterFunc(saveInterval, func() {
		defer p.wg.Done()
		p.mu.Lock()
		p.timer = nil
		p.mu.Unlock()
		if err := p.save(); err != nil {
			p.log.Error("save state file", "path", p.path, "err", err)
		}
	})
}

// Close stops scheduled saves and writes the final state. Call it without
// the simulator's lock.
func (p *Persister) Close() error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	if p.timer != nil && p.timer.Stop() {
		p.wg.Done() // its callback will never run
	}
	p.timer = nil
	p.mu.Unlock()
	p.wg.Wait()
	return p.save()
}

func (p *Persister) save() error {
	p.saveMu.Lock()
	defer p.saveMu.Unlock()
	b, err := p.snapshot()
	if err != nil {
		return err
	}
	return writeFileAtomic(p.path, b)
}

// writeFileAtomic replaces path with b via a temporary file and a rename,
// so a crash leaves either the old or the new file, never half of one.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// ReadFile returns the file's bytes, or nil when it does not exist yet.
func ReadFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// Load reads the state file at path, when set and present, and hands its
// bytes to load; otherwise it calls seed to start fresh. It reports whether
// the state came from the file. Read and load errors name pkg and path
// (FileError); seed's error is returned as is.
func Load(pkg, path string, load func([]byte) error, seed func() error) (bool, error) {
	var saved []byte
	if path != "" {
		var err error
		if saved, err = ReadFile(path); err != nil {
			return false, FileError(pkg, path, err)
		}
	}
	if saved == nil {
		return false, seed()
	}
	if err := load(saved); err != nil {
		return true, FileError(pkg, path, err)
	}
	return true, nil
}

// FileError explains a state file New cannot use. The data is never
// discarded silently: the developer decides to delete it.
func FileError(pkg, path string, err error) error {
	return fmt.Errorf("%s: state file %s: %w (ResetState: delete %s to start the simulator from fresh state; "+
		"data that refers to the old state, such as the panel's DynamoDB under .data/, will no longer match)", pkg, path, err, path)
}
