package vfsim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "virtfusion.json")
	clk := &fakeClock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	opts := Options{StateFile: path, Seed: true, Clock: clk.Now}

	// First run: a built server, a server mid-build and an SSH key.
	h1 := newHarness(t, opts)
	seeded := len(data1(h1.mustJSON(t, "GET", "/servers?results=200", nil, 200)))
	uid, built := h1.mustBuilt(t)
	key := data(h1.mustJSON(t, "POST", "/ssh_keys", map[string]any{"userId": uid, "name": "k",
		"publicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFake t@x"}, 201))
	building := num(data(h1.mustJSON(t, "POST", "/servers", map[string]any{"packageId": 1, "userId": uid, "hypervisorId": 1}, 201))["id"])
	h1.mustJSON(t, "POST", "/servers/"+itoa(building)+"/build", map[string]any{"operatingSystemId": 46, "ipv6": true}, 200)
	before := data(h1.mustJSON(t, "GET", "/servers/"+itoa(built), nil, 200))
	h1.srv.Close()
	if err := h1.sim.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	// Second run on the same file, half-way through the build.
	clk.Add(4 * time.Second)
	h2 := newHarness(t, opts)

	t.Run("OKNoReseed", func(t *testing.T) {
		if n := len(data1(h2.mustJSON(t, "GET", "/servers?results=200", nil, 200))); n != seeded+2 {
			t.Errorf("got %d servers, want %d (seed must not run again)", n, seeded+2)
		}
	})
	t.Run("OKUserAndServer", func(t *testing.T) {
		u := data(h2.mustJSON(t, "GET", "/users/42/byExtRelation", nil, 200))
		if num(u["id"]) != uid {
			t.Errorf("got user id %v, want %d", u["id"], uid)
		}
		after := data(h2.mustJSON(t, "GET", "/servers/"+itoa(built), nil, 200))
		for _, k := range []string{"uuid", "name", "hostname", "state", "built", "network"} {
			if a, b := jsonOf(t, after[k]), jsonOf(t, before[k]); a != b {
				t.Errorf("%s: got %s, want %s", k, a, b)
			}
		}
		list := h2.mustJSON(t, "GET", "/servers/user/"+itoa(uid), nil, 200)
		if n := len(data1(list)); n != 2 {
			t.Errorf("got %d servers for the user, want 2", n)
		}
		keys := data1(h2.mustJSON(t, "GET", "/ssh_keys/user/"+itoa(uid), nil, 200))
		if len(keys) != 1 || num(keys[0].(map[string]any)["id"]) != num(key["id"]) {
			t.Errorf("got keys %v, want key %v", keys, key["id"])
		}
	})
	t.Run("OKBuildResumes", func(t *testing.T) {
		if st := data(h2.mustJSON(t, "GET", "/servers/"+itoa(building), nil, 200))["state"]; st != "queued" {
			t.Fatalf("before the stored deadline: got state %v, want queued", st)
		}
		h2.mustJSON(t, "POST", "/servers/"+itoa(building)+"/power/boot", nil, 423)
		clk.Add(5 * time.Second)
		got := data(h2.mustJSON(t, "GET", "/servers/"+itoa(building), nil, 200))
		if got["state"] != "complete" {
			t.Fatalf("after the stored deadline: got state %v, want complete", got["state"])
		}
		snap, _ := h2.sim.Server(building)
		if !snap.Running || snap.IPv6Subnet == "" || snap.ActiveTaskID != 0 {
			t.Errorf("after build: got %+v", snap)
		}
	})
	t.Run("OKIDsContinue", func(t *testing.T) {
		u := data(h2.mustJSON(t, "POST", "/users", map[string]any{"name": "New", "email": "n@example.com", "extRelationId": 43}, 201))
		if num(u["id"]) != uid+1 {
			t.Errorf("got user id %v, want %d", u["id"], uid+1)
		}
		sv := data(h2.mustJSON(t, "POST", "/servers", map[string]any{"packageId": 1, "userId": num(u["id"]), "hypervisorId": 1}, 201))
		if num(sv["id"]) != building+1 {
			t.Errorf("got server id %v, want %d", sv["id"], building+1)
		}
		snap, _ := h2.sim.Server(num(sv["id"]))
		taken := map[string]bool{}
		for _, id := range []int{built, building} {
			s, _ := h2.sim.Server(id)
			for _, ip := range s.IPv4 {
				taken[ip] = true
			}
		}
		for _, ip := range snap.IPv4 {
			if taken[ip] {
				t.Errorf("new server got %s, already allocated before the restart", ip)
			}
		}
	})
	t.Run("OKDebouncedSave", func(t *testing.T) {
		h2.mustJSON(t, "PUT", "/servers/"+itoa(built)+"/modify/name", map[string]any{"name": "renamed"}, 201)
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(readFile(t, path), `"renamed"`) {
			if time.Now().After(deadline) {
				t.Fatal("state file never got the rename without Close")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func TestStateFileErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body string
	}{
		{"ErrUnreadable", `{"version":1,"users":[`},
		{"ErrVersion", `{"version":99}`},
		{"ErrEmpty", ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "virtfusion.json")
			if err := os.WriteFile(path, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := NewWithState(Options{StateFile: path})
			if err == nil || !strings.Contains(err.Error(), "ResetState") || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want an error naming the file with a ResetState note", err)
			}
			if got := readFile(t, path); got != tt.body {
				t.Errorf("file changed to %q; want it left alone", got)
			}
		})
	}
	t.Run("OKNoFileYet", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sub", "virtfusion.json")
		s, err := NewWithState(Options{StateFile: path, Seed: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		var st stateFile
		if err := json.Unmarshal([]byte(readFile(t, path)), &st); err != nil || st.Version != stateVersion || len(st.Servers) == 0 {
			t.Fatalf("got version %d, %d servers, err %v; want the seeded state", st.Version, len(st.Servers), err)
		}
	})
}

func data1(m map[string]any) []any { d, _ := m["data"].([]any); return d }

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}
