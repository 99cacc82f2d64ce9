package virtfusion_test

// Contract tests: the client against the VirtFusion simulator (vfsim), which
// follows the same API notes. Every client method is exercised here.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

const simToken = "sim-token"

// simEnv is a running simulator and a client for it.
type simEnv struct {
	sim *vfsim.Sim
	c   *virtfusion.Client
	url string // panel root
}

// MustSim starts a simulator with short task delays and returns it with a
// client for it.
func MustSim(tb testing.TB, mod ...func(*virtfusion.Config)) simEnv {
	tb.Helper()
	sim := vfsim.New(vfsim.Options{Token: simToken, BuildDelay: 150 * time.Millisecond, PowerDelay: 40 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatalf("start simulator: %v", err)
	}
	tb.Cleanup(func() { sim.Close() })
	cfg := virtfusion.Config{PanelURL: url, Token: simToken, Timeout: 5 * time.Second,
		Retry:  virtfusion.RetryPolicy{BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond},
		Logger: slog.New(slog.DiscardHandler)}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := virtfusion.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return simEnv{sim: sim, c: c, url: url}
}

// testCtx bounds a test; polling loops end with it.
func testCtx(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

// poll calls f every 20ms until it reports done or ctx ends.
func poll(tb testing.TB, ctx context.Context, what string, f func() (bool, error)) {
	tb.Helper()
	for {
		done, err := f()
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
		if done {
			return
		}
		select {
		case <-ctx.Done():
			tb.Fatalf("%s: gave up: %v", what, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitQueue polls a queue item until it finishes and checks it succeeded.
func waitQueue(tb testing.TB, ctx context.Context, c *virtfusion.Client, id int64) *virtfusion.QueueItem {
	tb.Helper()
	var q *virtfusion.QueueItem
	poll(tb, ctx, "queue item", func() (bool, error) {
		var err error
		q, err = c.Queue(ctx, id)
		return err == nil && q.Done(), err
	})
	if !q.Succeeded() {
		tb.Fatalf("queue item %d failed: %+v", id, q)
	}
	return q
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := panel.ErrorCode(err); got != code {
		tb.Fatalf("got code %q (err %v), want %q", got, err, code)
	}
}

// MustUser creates a VirtFusion user for ext.
func MustUser(tb testing.TB, ctx context.Context, c *virtfusion.Client, ext string) *virtfusion.User {
	tb.Helper()
	u, err := c.CreateUser(ctx, virtfusion.CreateUserRequest{Name: "Ann " + ext, Email: ext + "@example.com", RelStr: ext})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// MustBuiltServer creates and builds a server for a VF user and waits until
// the build completes.
func MustBuiltServer(tb testing.TB, ctx context.Context, c *virtfusion.Client, vfUser int64) *virtfusion.Server {
	tb.Helper()
	s, err := c.CreateServer(ctx, virtfusion.CreateServerRequest{PackageID: 1, UserID: vfUser, HypervisorGroupID: 1}, false)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := c.BuildServer(ctx, s.ID, virtfusion.BuildServerRequest{OperatingSystemID: 52, Name: "srv"}); err != nil {
		tb.Fatal(err)
	}
	waitBuilt(tb, ctx, c, s.ID)
	return s
}

func waitBuilt(tb testing.TB, ctx context.Context, c *virtfusion.Client, id int64) *virtfusion.Server {
	tb.Helper()
	var s *virtfusion.Server
	poll(tb, ctx, "build", func() (bool, error) {
		var err error
		s, err = c.GetServer(ctx, id, false)
		return err == nil && s.State == "complete", err
	})
	return s
}

func TestContractConnect(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		env := MustSim(t)
		if err := env.c.Connect(testCtx(t)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		env := MustSim(t)
		bad, err := virtfusion.New(virtfusion.Config{PanelURL: env.url, Token: "wrong", Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		err = bad.Connect(testCtx(t))
		var ae *virtfusion.APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || len(ae.Messages) != 0 {
			t.Fatalf("got %v, want a bodiless 401", err)
		}
		wantCode(t, err, panel.EUPSTREAM)
	})
}

func TestContractUsers(t *testing.T) {
	env := MustSim(t)
	c, ctx := env.c, testCtx(t)

	u := MustUser(t, ctx, c, "u_abc")
	// relStr users have no integer relation: extRelationId is null.
	if u.ID == 0 || u.Password == "" || u.ExtRelationID != "" {
		t.Fatalf("create: got %+v", u)
	}
	t.Run("ErrDuplicate", func(t *testing.T) {
		_, err := c.CreateUser(ctx, virtfusion.CreateUserRequest{Name: "Dup", Email: "u_abc@example.com", RelStr: "u_abc"})
		wantCode(t, err, panel.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := c.CreateUser(ctx, virtfusion.CreateUserRequest{Name: "", Email: "nope", RelStr: "u_bad"})
		wantCode(t, err, panel.EINVALID)
		var pe *panel.Error
		if errors.As(err, &pe); !strings.Contains(pe.Message, "email") {
			t.Errorf("message: got %q, want the API's validation text", pe.Message)
		}
	})
	t.Run("Get", func(t *testing.T) {
		got, err := c.GetUserByExtRelation(ctx, "u_abc")
		if err != nil || got.ID != u.ID || got.Email != "u_abc@example.com" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := c.GetUserByExtRelation(ctx, "u_missing")
		if !virtfusion.IsNotFound(err) {
			t.Fatalf("got %v, want not found", err)
		}
		wantCode(t, err, panel.ENOTFOUND)
	})
	t.Run("Update", func(t *testing.T) {
		name := "Ann Renamed"
		got, err := c.UpdateUserByExtRelation(ctx, "u_abc", virtfusion.UpdateUserRequest{Name: &name})
		if err != nil || got.Name != virtfusion.FlexString(name) {
			t.Fatalf("got %+v, %v", got, err)
		}
		after, err := c.GetUserByExtRelation(ctx, "u_abc")
		if err != nil || after.Name != virtfusion.FlexString(name) {
			t.Fatalf("after update: got %+v, %v", after, err)
		}
	})
	t.Run("ResetPassword", func(t *testing.T) {
		p, err := c.ResetUserPassword(ctx, "u_abc")
		if err != nil || p.Password == "" || p.Email != "u_abc@example.com" {
			t.Fatalf("got %+v, %v", p, err)
		}
	})
	t.Run("LoginTokens", func(t *testing.T) {
		lt, err := c.UserLoginTokens(ctx, "u_abc")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(lt.URL, env.url+"/token_authenticate") || time.Until(lt.Expires) <= 0 {
			t.Fatalf("got %+v", lt)
		}
		// The link works once.
		for i, want := range []int{http.StatusOK, http.StatusForbidden} {
			resp, err := http.Get(lt.URL)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("visit %d: got %d, want %d", i+1, resp.StatusCode, want)
			}
		}
	})
	t.Run("ServerLoginTokens", func(t *testing.T) {
		s, err := c.CreateServer(ctx, virtfusion.CreateServerRequest{PackageID: 1, UserID: int64(u.ID), HypervisorGroupID: 1}, false)
		if err != nil {
			t.Fatal(err)
		}
		lt, err := c.ServerLoginTokens(ctx, "u_abc", s.ID)
		if err != nil || !strings.HasPrefix(lt.URL, env.url+"/token_authenticate/?1=") {
			t.Fatalf("got %+v, %v", lt, err)
		}
		_, err = c.ServerLoginTokens(ctx, "u_abc", 99999)
		wantCode(t, err, panel.ENOTFOUND)

		// A user with servers cannot be deleted.
		err = c.DeleteUserByExtRelation(ctx, "u_abc")
		wantCode(t, err, panel.ECONFLICT)
		if err := c.DeleteServer(ctx, s.ID, 0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := c.DeleteUserByExtRelation(ctx, "u_abc"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetUserByExtRelation(ctx, "u_abc"); !virtfusion.IsNotFound(err) {
			t.Fatalf("after delete: got %v, want not found", err)
		}
		if err := c.DeleteUserByExtRelation(ctx, "u_abc"); !virtfusion.IsNotFound(err) {
			t.Fatalf("second delete: got %v, want not found", err)
		}
	})
}

func TestContractCatalogue(t *testing.T) {
	env := MustSim(t)
	c, ctx := env.c, testCtx(t)

	pkgs, err := c.Packages(ctx)
	if err != nil || len(pkgs) == 0 {
		t.Fatalf("packages: got %d, %v", len(pkgs), err)
	}
	p, err := c.Package(ctx, int64(pkgs[0].ID))
	if err != nil || p.ID != pkgs[0].ID || p.MemoryMB == 0 || p.PrimaryStorageGB == 0 || p.Created.IsZero() {
		t.Fatalf("package: got %+v, %v", p, err)
	}
	if _, err := c.Package(ctx, 9999); !virtfusion.IsNotFound(err) {
		t.Errorf("missing package: got %v, want not found", err)
	}
	groups, err := c.PackageTemplates(ctx, int64(p.ID))
	if err != nil || len(groups) == 0 || len(groups[0].Templates) == 0 || groups[0].Templates[0].ID == 0 {
		t.Fatalf("templates: got %+v, %v", groups, err)
	}
	locs, err := c.HypervisorGroups(ctx)
	if err != nil || len(locs) == 0 {
		t.Fatalf("groups: got %+v, %v", locs, err)
	}
	g, err := c.HypervisorGroup(ctx, int64(locs[0].ID))
	if err != nil || g.Name != locs[0].Name {
		t.Fatalf("group: got %+v, %v", g, err)
	}
	res, err := c.HypervisorGroupResources(ctx, int64(g.ID))
	if err != nil || len(res) == 0 || res[0].Resources.Memory.Max == 0 || res[0].Hypervisor.ID == 0 {
		t.Fatalf("resources: got %+v, %v", res, err)
	}

	t.Run("Cached", func(t *testing.T) {
		env.sim.ResetCalls()
		for range 3 {
			if _, err := c.Packages(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := c.HypervisorGroupResources(ctx, int64(g.ID)); err != nil {
				t.Fatal(err)
			}
			if _, err := c.PackageTemplates(ctx, int64(p.ID)); err != nil {
				t.Fatal(err)
			}
		}
		if calls := env.sim.Calls(); len(calls) != 0 {
			t.Errorf("got %d API calls for cached data, want 0: %+v", len(calls), calls)
		}
	})
}

// TestContractServerLifecycle walks one server through create, build, power,
// edits, suspension and deletion, exercising every server method.
func TestContractServerLifecycle(t *testing.T) {
	env := MustSim(t)
	c, ctx := env.c, testCtx(t)
	u := MustUser(t, ctx, c, "u_life")
	vfUser := int64(u.ID)

	key, err := c.CreateSSHKey(ctx, vfUser, "laptop", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ann@laptop")
	if err != nil || key.ID == 0 || key.Created.IsZero() {
		t.Fatalf("create key: got %+v, %v", key, err)
	}

	req := virtfusion.CreateServerRequest{PackageID: 1, UserID: vfUser, HypervisorGroupID: 1}
	t.Run("CreateDryRun", func(t *testing.T) {
		s, err := c.CreateServer(ctx, req, true)
		if err != nil || s.ID != 0 {
			t.Fatalf("got %+v, %v", s, err)
		}
		all, err := c.ListUserServers(ctx, vfUser)
		if err != nil || len(all) != 0 {
			t.Fatalf("dry run created a server: %+v, %v", all, err)
		}
	})
	t.Run("ErrCreateInvalid", func(t *testing.T) {
		_, err := c.CreateServer(ctx, virtfusion.CreateServerRequest{PackageID: 9999, UserID: vfUser, HypervisorGroupID: 1}, false)
		wantCode(t, err, panel.EINVALID)
		var ae *virtfusion.APIError
		if !errors.As(err, &ae) || len(ae.Messages) == 0 {
			t.Errorf("got %v, want the API's messages", err)
		}
	})

	s, err := c.CreateServer(ctx, req, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID == 0 || s.State != "allocated" || s.CommissionStatus != 0 || s.Name != "" || !s.Built.IsZero() ||
		s.PrimaryIPv4() == "" || s.RemoteState != nil || s.OwnerID != vfUser {
		t.Fatalf("create: got %+v", s)
	}
	id := s.ID

	t.Run("ErrPowerBeforeBuild", func(t *testing.T) {
		_, err := c.Power(ctx, id, virtfusion.PowerBoot)
		wantCode(t, err, panel.EINVALID)
	})

	tpls, err := c.ServerTemplates(ctx, id)
	if err != nil || len(tpls) == 0 {
		t.Fatalf("server templates: got %+v, %v", tpls, err)
	}
	osID := int64(tpls[0].Templates[0].ID)

	b, err := c.BuildServer(ctx, id, virtfusion.BuildServerRequest{OperatingSystemID: osID, Name: "web-1",
		Hostname: "web-1.example.com", SSHKeys: []int64{int64(key.ID)}})
	if err != nil {
		t.Fatal(err)
	}
	if b.State != "queued" || b.CommissionStatus != 1 || b.DecryptedPassword == "" {
		t.Fatalf("build: got state %q status %d password %q", b.State, b.CommissionStatus, b.DecryptedPassword)
	}
	t.Run("OKBuildTasksActive", func(t *testing.T) {
		// The real build response: tasks.active, an empty pending list.
		if !b.TasksActive || len(b.PendingActions) != 0 {
			t.Fatalf("build tasks: active %v pending %v", b.TasksActive, b.PendingActions)
		}
	})
	t.Run("ErrBusyWhileBuilding", func(t *testing.T) {
		err := c.Suspend(ctx, id)
		if !virtfusion.IsLocked(err) {
			t.Fatalf("got %v, want 423", err)
		}
		wantCode(t, err, panel.ESERVERBUSY)
	})
	built := waitBuilt(t, ctx, c, id)
	t.Run("OKOSFromTemplate", func(t *testing.T) {
		// The server object names no OS ("os" absent, as in the spec);
		// GetServer names it from settings.osTemplateInstallId.
		got, err := c.GetServer(ctx, id, false)
		if err != nil || got.OSTemplateID != osID || got.OSTemplateName == "" || got.OSTemplateType == "" {
			t.Fatalf("got id %d name %q type %q, %v", got.OSTemplateID, got.OSTemplateName, got.OSTemplateType, err)
		}
	})
	if built.CommissionStatus != 3 || built.Built.IsZero() || built.Name != "web-1" || built.Hostname != "web-1.example.com" ||
		built.OSTemplateID != osID || built.HypervisorGroupID != 1 {
		t.Fatalf("built: got %+v", built)
	}

	live, err := c.GetServer(ctx, id, true)
	if err != nil || live.RemoteState == nil || live.PowerState() != "running" || !live.RemoteState.Running {
		t.Fatalf("remote state after build: got %+v, %v", live.RemoteState, err)
	}
	if m := live.RemoteState.Memory; m.ActualKB == 0 || m.TotalKB == 0 {
		t.Errorf("remote memory: got %+v, want both key sets", m)
	}
	if len(live.RemoteState.Disks) == 0 || live.OSTemplateName == "" || len(live.IPv4) == 0 {
		t.Errorf("live server: got disks %v, os %q, ipv4 %v", live.RemoteState.Disks, live.OSTemplateName, live.IPv4)
	}

	t.Run("Power", func(t *testing.T) {
		for _, step := range []struct {
			action  string
			running bool
		}{
			{virtfusion.PowerShutdown, false},
			{virtfusion.PowerBoot, true},
			{virtfusion.PowerRestart, true},
			{virtfusion.PowerOff, false},
			{virtfusion.PowerBoot, true},
		} {
			qid, err := c.Power(ctx, id, step.action)
			if err != nil || qid == 0 {
				t.Fatalf("%s: got %d, %v", step.action, qid, err)
			}
			waitQueue(t, ctx, c, qid)
			s, err := c.GetServer(ctx, id, true)
			if err != nil {
				t.Fatal(err)
			}
			if s.RemoteState == nil || s.RemoteState.Running != step.running {
				t.Fatalf("after %s: got %+v, want running=%v", step.action, s.RemoteState, step.running)
			}
		}
		if _, err := c.Power(ctx, id, "explode"); err == nil {
			t.Error("unknown action: got nil error")
		}
	})
	t.Run("ResetServerPassword", func(t *testing.T) {
		r, err := c.ResetServerPassword(ctx, id, "root")
		if err != nil || r.QueueID == 0 || r.ExpectedPassword == "" {
			t.Fatalf("got %+v, %v", r, err)
		}
		waitQueue(t, ctx, c, int64(r.QueueID))
	})
	t.Run("Rename", func(t *testing.T) {
		if err := c.Rename(ctx, id, "Web One"); err != nil {
			t.Fatal(err)
		}
		if s, err := c.GetServer(ctx, id, false); err != nil || s.Name != "Web One" {
			t.Fatalf("got %+v, %v", s, err)
		}
	})
	t.Run("ChangePackage", func(t *testing.T) {
		info, err := c.ChangePackage(ctx, id, 2, virtfusion.ChangePackageOptions{})
		if err != nil || len(info) == 0 {
			t.Fatalf("got %q, %v", info, err)
		}
		want, err := c.Package(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.GetServer(ctx, id, false)
		if err != nil || s.Resources.MemoryMB != int64(want.MemoryMB) || s.Resources.CPUCores != int64(want.CPUCores) {
			t.Fatalf("resources: got %+v, %v; want package %+v", s.Resources, err, want)
		}
		_, err = c.ChangePackage(ctx, id, 9999, virtfusion.ChangePackageOptions{})
		wantCode(t, err, panel.EINVALID)
	})
	t.Run("Traffic", func(t *testing.T) {
		m, err := c.Traffic(ctx, id)
		if err != nil || len(m) == 0 || m[0].Start.IsZero() || m[0].End.Before(m[0].Start.Time) {
			t.Fatalf("got %+v, %v", m, err)
		}
	})
	t.Run("VNC", func(t *testing.T) {
		on, err := c.EnableVNC(ctx, id)
		if err != nil || !on.Enabled || on.Port == 0 || on.Password == "" {
			t.Fatalf("enable: got %+v, %v", on, err)
		}
		v, err := c.VNC(ctx, id)
		if err != nil || !v.Enabled || v.WSSToken == "" || !strings.HasPrefix(v.WSSURL, "/vnc/") {
			t.Fatalf("get: got %+v, %v", v, err)
		}
		off, err := c.DisableVNC(ctx, id)
		if err != nil || off.Enabled {
			t.Fatalf("disable: got %+v, %v", off, err)
		}
		if s, err := c.GetServer(ctx, id, false); err != nil || s.VNC.Enabled {
			t.Fatalf("server vnc after disable: got %+v, %v", s.VNC, err)
		}
	})
	t.Run("Backups", func(t *testing.T) {
		if err := c.SetBackupPlan(ctx, id, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Backups(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := c.SetBackupPlan(ctx, id, 0); err != nil {
			t.Fatal(err)
		}
		wantCode(t, c.SetBackupPlan(ctx, id, 9999), panel.EINVALID)
	})
	t.Run("Lists", func(t *testing.T) {
		mine, err := c.ListUserServers(ctx, vfUser)
		if err != nil || len(mine) != 1 || mine[0].ID != id || mine[0].Resources.MemoryMB == 0 || mine[0].PrimaryIPv4() == "" {
			t.Fatalf("user servers: got %+v, %v", mine, err)
		}
		page, err := c.ListServers(ctx, virtfusion.ListServersOptions{})
		if err != nil || len(page.Data) != 1 || page.Data[0].ID != id || page.Data[0].OwnerID != vfUser || page.Data[0].CommissionStatus != 3 {
			t.Fatalf("servers page: got %+v, %v", page, err)
		}
	})
	t.Run("SSHKeys", func(t *testing.T) {
		keys, err := c.SSHKeys(ctx, vfUser)
		if err != nil || len(keys) != 1 || keys[0].ID != key.ID || keys[0].PublicKey == "" {
			t.Fatalf("list: got %+v, %v", keys, err)
		}
		k, err := c.SSHKey(ctx, int64(key.ID))
		if err != nil || k.Name != "laptop" || !bool(k.Enabled) {
			t.Fatalf("get: got %+v, %v", k, err)
		}
		_, err = c.CreateSSHKey(ctx, vfUser, "bad", "not a key")
		wantCode(t, err, panel.EINVALID)
		if err := c.DeleteSSHKey(ctx, int64(key.ID)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.SSHKey(ctx, int64(key.ID)); !virtfusion.IsNotFound(err) {
			t.Fatalf("after delete: got %v, want not found", err)
		}
	})
	t.Run("Suspension", func(t *testing.T) {
		if err := c.Suspend(ctx, id); err != nil {
			t.Fatal(err)
		}
		if s, err := c.GetServer(ctx, id, false); err != nil || !s.Suspended {
			t.Fatalf("after suspend: got %+v, %v", s, err)
		}
		_, err := c.Power(ctx, id, virtfusion.PowerBoot)
		wantCode(t, err, panel.ESERVERBUSY) // VirtFusion locks a suspended server (423)
		if err := c.Unsuspend(ctx, id); err != nil {
			t.Fatal(err)
		}
		if s, err := c.GetServer(ctx, id, false); err != nil || s.Suspended {
			t.Fatalf("after unsuspend: got %+v, %v", s, err)
		}
		wantCode(t, c.Unsuspend(ctx, id), panel.ECONFLICT)
	})
	t.Run("ChangeOwner", func(t *testing.T) {
		other := MustUser(t, ctx, c, "u_other")
		if err := c.ChangeOwner(ctx, id, int64(other.ID)); err != nil {
			t.Fatal(err)
		}
		if s, err := c.GetServer(ctx, id, false); err != nil || s.OwnerID != int64(other.ID) {
			t.Fatalf("got %+v, %v", s, err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := c.DeleteServer(ctx, id, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetServer(ctx, id, true); !virtfusion.IsNotFound(err) {
			t.Fatalf("after delete: got %v, want not found", err)
		}
		if err := c.DeleteServer(ctx, id, 0); !virtfusion.IsNotFound(err) {
			t.Fatalf("second delete: got %v, want not found", err)
		}
		wantCode(t, c.Suspend(ctx, id), panel.ENOTFOUND)
	})
	t.Run("DelayedDelete", func(t *testing.T) {
		s := MustBuiltServer(t, ctx, c, vfUser)
		if err := c.DeleteServer(ctx, s.ID, 5); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetServer(ctx, s.ID, false); err != nil {
			t.Fatalf("scheduled delete removed the server at once: %v", err)
		}
	})
}

func TestContractPagination(t *testing.T) {
	env := MustSim(t)
	c, ctx := env.c, testCtx(t)
	u := MustUser(t, ctx, c, "u_pages")
	var want []int64
	for range 5 {
		s, err := c.CreateServer(ctx, virtfusion.CreateServerRequest{PackageID: 1, UserID: int64(u.ID), HypervisorGroupID: 1}, false)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, s.ID)
	}
	t.Run("AllPages", func(t *testing.T) {
		env.sim.ResetCalls()
		all, err := c.AllServers(ctx, virtfusion.ListServersOptions{Results: 2})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, s := range all {
			got = append(got, s.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if n := len(env.sim.Calls()); n != 3 {
			t.Errorf("requests: got %d, want 3", n)
		}
	})
	t.Run("OnePage", func(t *testing.T) {
		p, err := c.ListServers(ctx, virtfusion.ListServersOptions{Page: 2, Results: 2, Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Data) != 2 || p.Data[0].ID != want[2] || p.CurrentPage != 2 || p.LastPage != 3 || p.Total != 5 || !p.HasNext() {
			t.Fatalf("got %+v", p)
		}
		if p.Data[0].PrimaryIPv4() == "" {
			t.Errorf("type=full item has no IPv4: %+v", p.Data[0])
		}
	})
	t.Run("HypervisorFilter", func(t *testing.T) {
		all, err := c.AllServers(ctx, virtfusion.ListServersOptions{HypervisorIDs: []int64{9999}})
		if err != nil || len(all) != 0 {
			t.Fatalf("got %d servers, %v; want none", len(all), err)
		}
	})
}

func TestContractCredit(t *testing.T) {
	env := MustSim(t)
	c, ctx := env.c, testCtx(t)
	u := MustUser(t, ctx, c, "u_credit")
	id, err := c.AddCredit(ctx, "u_credit", virtfusion.CreditRequest{Tokens: 500, Reference2: "ledger:123"})
	if err != nil || id == 0 {
		t.Fatalf("add: got %d, %v", id, err)
	}
	if got := env.sim.Credits(int(u.ID)); got != 500 {
		t.Errorf("balance: got %v, want 500", got)
	}
	if err := c.CancelCredit(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := env.sim.Credits(int(u.ID)); got != 0 {
		t.Errorf("balance after cancel: got %v, want 0", got)
	}
	if err := c.CancelCredit(ctx, id); !virtfusion.IsNotFound(err) {
		t.Errorf("second cancel: got %v, want not found", err)
	}
	_, err = c.AddCredit(ctx, "u_nobody", virtfusion.CreditRequest{Tokens: 1})
	wantCode(t, err, panel.ENOTFOUND)
}

func TestContractFaults(t *testing.T) {
	t.Run("GETRetriedAfter503", func(t *testing.T) {
		env := MustSim(t)
		env.sim.SetFault(vfsim.Fault{Status: 503, Times: 2, PathPrefix: "/connect"})
		if err := env.c.Connect(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		if n := len(env.sim.Calls()); n != 3 {
			t.Errorf("requests: got %d, want 3", n)
		}
	})
	t.Run("GETRetriedAfter429", func(t *testing.T) {
		env := MustSim(t)
		env.sim.SetFault(vfsim.Fault{RateLimit: 1, Times: 1, PathPrefix: "/packages"})
		if _, err := env.c.Packages(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		calls := env.sim.Calls()
		if len(calls) != 2 {
			t.Fatalf("requests: got %d, want 2", len(calls))
		}
		if gap := calls[1].Time.Sub(calls[0].Time); gap < 900*time.Millisecond {
			t.Errorf("retried after %v, want Retry-After (1s) honoured", gap)
		}
	})
	t.Run("ErrPOSTNotRetried", func(t *testing.T) {
		env := MustSim(t)
		ctx := testCtx(t)
		u := MustUser(t, ctx, env.c, "u_fault")
		s := MustBuiltServer(t, ctx, env.c, int64(u.ID))
		env.sim.ResetCalls()
		env.sim.SetFault(vfsim.Fault{Status: 503, PathPrefix: "/servers"})
		_, err := env.c.Power(ctx, s.ID, virtfusion.PowerRestart)
		wantCode(t, err, panel.EUNAVAILABLE)
		if n := len(env.sim.Calls()); n != 1 {
			t.Errorf("requests: got %d, want 1", n)
		}
	})
	t.Run("ErrGivesUp", func(t *testing.T) {
		env := MustSim(t)
		env.sim.SetFault(vfsim.Fault{Status: 502})
		_, err := env.c.GetServer(testCtx(t), 1, false)
		wantCode(t, err, panel.EUNAVAILABLE)
		if n := len(env.sim.Calls()); n != 3 {
			t.Errorf("requests: got %d, want 3 (default MaxAttempts)", n)
		}
	})
	t.Run("ErrMalformedJSON", func(t *testing.T) {
		env := MustSim(t)
		env.sim.SetFault(vfsim.Fault{MalformedJSON: true})
		_, err := env.c.GetServer(testCtx(t), 1, false)
		wantCode(t, err, panel.EUPSTREAM)
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		env := MustSim(t, func(cfg *virtfusion.Config) {
			cfg.Timeout = 100 * time.Millisecond
			cfg.Retry.MaxAttempts = 2
		})
		env.sim.SetFault(vfsim.Fault{Timeout: true})
		_, err := env.c.GetServer(testCtx(t), 1, true)
		wantCode(t, err, panel.ETIMEOUT)
		if n := len(env.sim.Calls()); n != 2 {
			t.Errorf("requests: got %d, want 2", n)
		}
	})
	t.Run("LatencyWithinTimeout", func(t *testing.T) {
		env := MustSim(t)
		env.sim.SetFault(vfsim.Fault{Latency: 30 * time.Millisecond})
		if err := env.c.Connect(testCtx(t)); err != nil {
			t.Fatal(err)
		}
	})
}
