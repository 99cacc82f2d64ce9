package adminops

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// AdminPackage is a package as the console shows it: VirtFusion's plan
// (when VirtFusion lists it), its price (null: not for sale) and what a
// price change touches.
type AdminPackage struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	CPUCores  int64        `json:"cpuCores"`
	MemoryMB  int64        `json:"memoryMb"`
	StorageGB int64        `json:"storageGb"`
	Price     *panel.Price `json:"price"`
	// InVirtFusion is false for a price whose package VirtFusion no
	// longer lists.
	InVirtFusion bool `json:"inVirtFusion"`
	// ActiveServers and Customers are the billed servers running on the
	// plan: they keep the price they were ordered at when it changes.
	ActiveServers int `json:"activeServers"`
	Customers     int `json:"customers"`
}

// PackageList is the body of GET /api/admin/packages.
type PackageList struct {
	Packages []AdminPackage `json:"packages"`
}

// VisibilityRequest is the body of PUT /api/admin/packages/{id}/visibility.
type VisibilityRequest struct {
	Hidden bool `json:"hidden"`
}

// VisibilityBody is the answer to PUT /api/admin/packages/{id}/visibility.
type VisibilityBody struct {
	Price panel.Price `json:"price"`
}

// packages serves GET /api/admin/packages: every VirtFusion package with
// its price, including those with none, and priced ones VirtFusion lost.
func (h *handlers) packages(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	ctx := r.Context()
	prices, err := h.d.Billing.Store.Prices(ctx)
	if err != nil {
		return err
	}
	active, err := h.d.Ledger.ActiveServers(ctx)
	if err != nil {
		return err
	}
	servers, customers := map[int64]int{}, map[int64]map[string]bool{}
	for _, s := range active {
		servers[s.PackageID]++
		if customers[s.PackageID] == nil {
			customers[s.PackageID] = map[string]bool{}
		}
		customers[s.PackageID][s.UserID] = true
	}
	byID := map[int64]*AdminPackage{}
	if h.d.Packages != nil {
		pkgs, err := h.d.Packages(ctx)
		if err != nil {
			return err
		}
		for _, p := range pkgs {
			byID[p.ID] = &AdminPackage{ID: p.ID, Name: p.Name, CPUCores: p.CPUCores, MemoryMB: p.MemoryMB,
				StorageGB: p.StorageGB, InVirtFusion: true}
		}
	}
	for id, pr := range prices {
		if byID[id] == nil {
			byID[id] = &AdminPackage{ID: id, Name: "Package " + strconv.FormatInt(id, 10)}
		}
		byID[id].Price = &pr
	}
	out := make([]AdminPackage, 0, len(byID))
	for id, p := range byID {
		p.ActiveServers, p.Customers = servers[id], len(customers[id])
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return httpx.Encode(w, http.StatusOK, PackageList{Packages: out})
}

func packageID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, panel.NotFound("package")
	}
	return id, nil
}

// priceOf is a package's current price; ENOTFOUND when it has none.
func (h *handlers) priceOf(r *http.Request, id int64) (*panel.Price, error) {
	prices, err := h.d.Billing.Store.Prices(r.Context())
	if err != nil {
		return nil, err
	}
	p, ok := prices[id]
	if !ok {
		return nil, panel.NotFound("price")
	}
	return &p, nil
}

// deletePrice serves DELETE /api/admin/packages/{id}/price: the package
// is no longer for sale.
func (h *handlers) deletePrice(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	id, err := packageID(r)
	if err != nil {
		return err
	}
	before, err := h.priceOf(r, id)
	if err != nil {
		return err
	}
	err = h.d.Ledger.DeletePrice(r.Context(), id)
	h.audit(r, p, panel.ActPackagePriceDelete, "package:"+strconv.FormatInt(id, 10), before, nil, err)
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// visibility serves PUT /api/admin/packages/{id}/visibility.
func (h *handlers) visibility(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	id, err := packageID(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[VisibilityRequest](r)
	if err != nil {
		return err
	}
	before, err := h.priceOf(r, id)
	if err != nil {
		return err
	}
	err = h.d.Ledger.SetPriceHidden(r.Context(), id, req.Hidden)
	after := *before
	after.Hidden = req.Hidden
	h.audit(r, p, panel.ActPackageVisibility, "package:"+strconv.FormatInt(id, 10), before, after, err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, VisibilityBody{Price: after})
}
