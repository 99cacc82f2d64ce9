package adminops

import (
	"net/http"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Reindexed is the answer to POST /api/admin/users/search-index.
type Reindexed struct {
	Users int `json:"users"` // users whose search terms were written
}

// reindexUsers serves POST /api/admin/users/search-index: writes every
// user's search terms, so users made before the index existed are found.
// Idempotent: a term is one item per user, written again unchanged.
func (h *handlers) reindexUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	n, err := h.d.Reindex(r.Context())
	h.audit(r, p, panel.ActUsersReindex, "search-index", nil, Reindexed{Users: n}, err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, Reindexed{Users: n})
}
