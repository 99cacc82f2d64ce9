package paypalsim

import (
	"html/template"
	"net/http"
	"net/url"
)

var checkoutPage = template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PayPal Checkout (simulated)</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto;text-align:center}
button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border-radius:2rem;border:0;cursor:pointer}
.pay{background:#ffc439}.cancel{background:#eee}</style></head>
<body><h1>PayPal (simulated)</h1>
<p>Order <code>{{.ID}}</code></p>
<p>Amount: <strong>{{.Amount.Value}} {{.Amount.CurrencyCode}}</strong></p>
{{if .Message}}<p role="alert">{{.Message}}</p>{{else}}
<form method="post" action="/checkoutnow/approve"><input type="hidden" name="token" value="{{.ID}}">
<button class="pay" type="submit">Pay with PayPal (simulated)</button></form>
<form method="post" action="/checkoutnow/cancel"><input type="hidden" name="token" value="{{.ID}}">
<button class="cancel" type="submit">Cancel</button></form>{{end}}
</body></html>
`))

// handleCheckout serves the payer approval page for ?token={orderId}.
func (s *Server) handleCheckout(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("token")
	s.mu.Lock()
	o, ok := s.orders[id]
	var view struct {
		ID      string
		Amount  amount
		Message string
	}
	if ok {
		view.ID, view.Amount = o.ID, o.Amount
		if o.Status != "CREATED" && o.Status != "PAYER_ACTION_REQUIRED" {
			view.Message = "This order is " + o.Status + " and cannot be approved again."
		}
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Unknown order token.", http.StatusNotFound)
		return
	}
	if s.opts.AutoApprove && view.Message == "" {
		s.approveAndRedirect(w, r, id)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	checkoutPage.Execute(w, view)
}

func (s *Server) handleCheckoutApprove(w http.ResponseWriter, r *http.Request) {
	s.approveAndRedirect(w, r, r.PostFormValue("token"))
}

// approveAndRedirect approves the order and sends the payer to its return
// URL with ?token=&PayerID=, as PayPal does.
func (s *Server) approveAndRedirect(w http.ResponseWriter, r *http.Request, id string) {
	if err := s.Approve(id); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	s.mu.Lock()
	o := s.orders[id]
	target, payer := o.ReturnURL, o.PayerID
	s.mu.Unlock()
	redirect(w, r, target, url.Values{"token": {id}, "PayerID": {payer}})
}

func (s *Server) handleCheckoutCancel(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("token")
	s.mu.Lock()
	o, ok := s.orders[id]
	var target string
	if ok {
		target = o.CancelURL
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Unknown order token.", http.StatusNotFound)
		return
	}
	redirect(w, r, target, url.Values{"token": {id}})
}

// redirect sends the browser to target with q added to its query.
func redirect(w http.ResponseWriter, r *http.Request, target string, q url.Values) {
	u, err := url.Parse(target)
	if err != nil || target == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("Done. The order has no return URL.\n"))
		return
	}
	have := u.Query()
	for k, v := range q {
		have[k] = v
	}
	u.RawQuery = have.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}
