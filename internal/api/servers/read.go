package servers

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/vfpanel/vfpanel/internal/api/catalog"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// packages returns VirtFusion's packages (cached by the client) to name
// each server's package; without them servers are shown with no package.
func (h *handlers) packages(ctx context.Context) []virtfusion.Package {
	pkgs, err := h.d.VirtFusion.Packages(ctx)
	if err != nil {
		httpx.Logger(ctx).Warn("servers: packages unavailable", "err", err)
		return nil
	}
	return pkgs
}

// list is GET /api/servers: one list call, then each server's live state
// in parallel (at most Concurrency at once, each cached for a few
// seconds). A server whose live state fails is still listed, from the list
// item and its last snapshot, with power "unknown".
func (h *handlers) list(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principal(r)
	if p.VFUserID <= 0 {
		return httpx.Encode(w, http.StatusOK, ServerList{Servers: []*panel.Server{}})
	}
	items, err := h.d.VirtFusion.ListUserServers(ctx, p.VFUserID)
	if err != nil {
		return err
	}
	var (
		pkgs    []virtfusion.Package
		ordered map[int64]int64
	)
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	liveByID := make([]*virtfusion.Server, len(items))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(h.d.Concurrency)
	g.Go(func() error { pkgs = h.packages(gctx); return nil })
	g.Go(func() error { ordered = h.orderedPackages(gctx, ids); return nil })
	for i := range items {
		id := items[i].ID
		g.Go(func() error {
			s, err := h.live(gctx, id)
			if err != nil {
				httpx.Logger(ctx).Warn("servers: live state failed", "server", id, "err", err)
				return nil
			}
			if s.OwnerID == p.VFUserID {
				liveByID[i] = s
			}
			return nil
		})
	}
	_ = g.Wait()

	out := make([]*panel.Server, 0, len(items))
	var missing []int64
	var toSnapshot []*panel.Server
	for i := range items {
		if liveByID[i] == nil {
			missing = append(missing, items[i].ID)
			continue
		}
		s := virtfusion.Summarize(liveByID[i], pkgs)
		virtfusion.SetOrderedPackage(s, ordered[s.ID], pkgs)
		out = append(out, s)
		toSnapshot = append(toSnapshot, s)
	}
	if len(missing) > 0 {
		// A failed VirtFusion call for every server is an outage, not a
		// partial view: report it so the UI can retry.
		if len(missing) == len(items) && ctx.Err() != nil {
			return ctx.Err()
		}
		snaps := h.snapshots(ctx, missing)
		for i := range items {
			if liveByID[i] != nil {
				continue
			}
			s := virtfusion.Summarize(&items[i], pkgs)
			virtfusion.SetOrderedPackage(s, ordered[s.ID], pkgs)
			if snap := snaps[s.ID]; snap != nil && snap.OwnerVFID == p.VFUserID {
				s.Location, s.OS, s.CreatedAt = snap.Location, snap.OS, snap.CreatedAt
				if s.Package == nil {
					s.Package = snap.Package
				}
			}
			s.Power, s.Stale = panel.PowerUnknown, true
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b *panel.Server) int { return int(a.ID - b.ID) })
	h.writeSnapshots(ctx, toSnapshot)
	return httpx.Encode(w, http.StatusOK, ServerList{Servers: out})
}

// checkOwner turns a live fetch into the caller's server or 404.
func (h *handlers) checkOwner(r *http.Request, s *virtfusion.Server, err error) (*virtfusion.Server, error) {
	if virtfusion.IsNotFound(err) {
		return nil, errServerNotFound
	}
	if err != nil {
		return nil, err
	}
	if s.OwnerID != principal(r).VFUserID {
		httpx.Logger(r.Context()).Warn("servers: foreign server requested", "server", s.ID, "user", principal(r).UserID)
		return nil, errServerNotFound
	}
	// A server the panel ordered and does not bill is not the customer's
	// to use (its failed order is being undone).
	if h.d.Unbilled != nil {
		unbilled, err := h.d.Unbilled.Unbilled(r.Context(), s.ID)
		if err != nil {
			return nil, err
		}
		if unbilled {
			httpx.Logger(r.Context()).Warn("servers: unbilled server requested", "server", s.ID, "user", principal(r).UserID)
			return nil, errServerNotFound
		}
	}
	return s, nil
}

// writeSnapshots stores the servers whose snapshot this process has not
// written with the same content lately. Power is left out: it changes
// often and a snapshot is only shown when live state is unavailable.
func (h *handlers) writeSnapshots(ctx context.Context, list []*panel.Server) {
	if h.d.Snapshots == nil {
		return
	}
	var put []*panel.Server
	sums := map[int64]string{}
	for _, s := range list {
		c := *s
		c.Power, c.Stale = panel.PowerUnknown, false
		b, _ := json.Marshal(c)
		sums[s.ID] = strconv.FormatInt(c.OwnerVFID, 10) + string(b)
		if h.d.Cache.NeedsSnapshot(s.ID, sums[s.ID]) {
			put = append(put, &c)
		}
	}
	if len(put) == 0 {
		return
	}
	if err := h.d.Snapshots.PutServerSnapshots(context.WithoutCancel(ctx), put); err != nil {
		httpx.Logger(ctx).Warn("servers: snapshot write failed", "err", err)
		return
	}
	for _, s := range put {
		h.d.Cache.SnapshotWritten(s.ID, sums[s.ID])
	}
}

func (h *handlers) snapshots(ctx context.Context, ids []int64) map[int64]*panel.Server {
	if h.d.Snapshots == nil {
		return nil
	}
	m, err := h.d.Snapshots.ServerSnapshots(ctx, ids)
	if err != nil {
		httpx.Logger(ctx).Warn("servers: snapshot read failed", "err", err)
	}
	return m
}

// detail is GET /api/servers/{id}: the server with live state, this
// period's traffic and the build state. Traffic failing only blanks usage.
func (h *handlers) detail(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := serverID(r)
	if err != nil || principal(r).VFUserID <= 0 {
		return errServerNotFound
	}
	var (
		s       *virtfusion.Server
		months  []virtfusion.TrafficMonth
		pkgs    []virtfusion.Package
		ordered map[int64]int64
		liveErr error
		mu      sync.Mutex
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		s, err = h.live(gctx, id)
		mu.Lock()
		liveErr = err
		mu.Unlock()
		return nil
	})
	g.Go(func() error {
		m, err := h.d.VirtFusion.Traffic(gctx, id)
		if err != nil {
			httpx.Logger(ctx).Warn("servers: traffic failed", "server", id, "err", err)
		}
		months = m
		return nil
	})
	g.Go(func() error { pkgs = h.packages(gctx); return nil })
	g.Go(func() error { ordered = h.orderedPackages(gctx, []int64{id}); return nil })
	_ = g.Wait()
	if s, err = h.checkOwner(r, s, liveErr); err != nil {
		return err
	}
	sum := virtfusion.Summarize(s, pkgs)
	virtfusion.SetOrderedPackage(sum, ordered[s.ID], pkgs)
	d := panel.ServerDetail{Server: *sum}
	d.Traffic = panel.ServerTraffic{LimitGB: s.TrafficPeriod.LimitGB, PeriodStart: s.TrafficPeriod.Start.UTC(),
		PeriodEnd: s.TrafficPeriod.End.UTC()}
	if len(months) > 0 {
		used := int64(months[0].Total)
		d.Traffic.UsedBytes = &used
		if d.Traffic.PeriodStart.IsZero() {
			d.Traffic.PeriodStart, d.Traffic.PeriodEnd = months[0].Start.UTC(), months[0].End.UTC()
		}
	}
	d.Build = virtfusion.BuildState(s)
	d.VNCEnabled = s.VNC.Enabled
	return httpx.Encode(w, http.StatusOK, ServerDetailBody{Server: d})
}

// templates is GET /api/servers/{id}/templates.
func (h *handlers) templates(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	gs, err := h.d.VirtFusion.ServerTemplates(r.Context(), s.ID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, catalog.TemplateGroupList{Groups: virtfusion.PanelTemplateGroups(gs)})
}

// traffic is GET /api/servers/{id}/traffic.
func (h *handlers) traffic(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	ms, err := h.d.VirtFusion.Traffic(r.Context(), s.ID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, TrafficBody{Periods: virtfusion.PanelTraffic(ms)})
}

// metrics is GET /api/servers/{id}/metrics.
func (h *handlers) metrics(w http.ResponseWriter, r *http.Request) error {
	id, err := serverID(r)
	if err != nil || principal(r).VFUserID <= 0 {
		return errServerNotFound
	}
	s, err := h.live(r.Context(), id)
	if s, err = h.checkOwner(r, s, err); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, virtfusion.ServerMetrics(s, h.d.Now()))
}

// backups is GET /api/servers/{id}/backups.
func (h *handlers) backups(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	bs, err := h.d.VirtFusion.Backups(r.Context(), s.ID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, BackupList{Backups: virtfusion.PanelBackups(bs)})
}

// buildTaskID is the task id of a reinstall whose queue id could not be
// found (see handlers.buildTaskID): progress is then read from the
// server's build state.
const buildTaskID = "build"

// task is GET /api/servers/{id}/tasks/{taskId}: a queue item of that
// server; another server's (or nobody's) item is 404.
func (h *handlers) task(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if r.PathValue("taskId") == buildTaskID {
		s, err := h.d.VirtFusion.GetServer(ctx, s.ID, false)
		if err != nil {
			return err
		}
		b := virtfusion.BuildState(s)
		t := panel.Task{ID: buildTaskID, Action: "reinstall", Progress: b.Progress, Status: panel.TaskPending}
		switch b.State {
		case "complete":
			t.Status = panel.TaskDone
		case "failed":
			t.Status = panel.TaskFailed
		case "running":
			t.Status = panel.TaskRunning
		}
		return httpx.Encode(w, http.StatusOK, TaskBody{Task: t})
	}
	qid, err := strconv.ParseInt(r.PathValue("taskId"), 10, 64)
	if err != nil || qid <= 0 {
		return panel.NotFound("task")
	}
	q, err := h.d.VirtFusion.Queue(ctx, qid)
	if virtfusion.IsNotFound(err) {
		return panel.NotFound("task")
	}
	if err != nil {
		return err
	}
	if int64(q.ServerID) != s.ID {
		return panel.NotFound("task")
	}
	if q.Done() {
		// The action changed the server: show it on the next read.
		h.d.Cache.Invalidate(s.ID)
	}
	return httpx.Encode(w, http.StatusOK, TaskBody{Task: virtfusion.PanelTask(q)})
}
