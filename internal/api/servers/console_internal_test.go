package servers

import (
	"context"
	"errors"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// fakeVNC answers the VNC calls of the console; every other method is the
// nil interface's (unused).
type fakeVNC struct {
	VirtFusion
	get     []*virtfusion.VNC // answers of successive GETs (the last repeats)
	getErr  error
	enable  *virtfusion.VNC
	enErr   error
	gets    int
	enables int
}

func (f *fakeVNC) VNC(context.Context, int64) (*virtfusion.VNC, error) {
	f.gets++
	if f.getErr != nil {
		return nil, f.getErr
	}
	return f.get[min(f.gets, len(f.get))-1], nil
}

func (f *fakeVNC) EnableVNC(context.Context, int64) (*virtfusion.VNC, error) {
	f.enables++
	return f.enable, f.enErr
}

func TestConsoleVNC(t *testing.T) {
	off := &virtfusion.VNC{Enabled: false}
	offWithURL := &virtfusion.VNC{Enabled: false, WSSURL: "/vnc/?token=a", Password: "p"}
	on := &virtfusion.VNC{Enabled: true, WSSURL: "/vnc/?token=b", Password: "p"}
	busy := &panel.Error{Code: panel.ESERVERBUSY, Message: "busy"}
	tests := []struct {
		name        string
		f           *fakeVNC
		wantURL     string
		wantCode    string
		wantEnables int
	}{
		// The spec's GET /vnc example: enabled false, a usable wss.url.
		{"OKDisabledFlagWithURL", &fakeVNC{get: []*virtfusion.VNC{offWithURL}}, "/vnc/?token=a", "", 0},
		{"OKEnabledWhenNoURL", &fakeVNC{get: []*virtfusion.VNC{off}, enable: on}, "/vnc/?token=b", "", 1},
		{"OKEnableGaveNoURLReadAgain", &fakeVNC{get: []*virtfusion.VNC{off, on}, enable: off}, "/vnc/?token=b", "", 1},
		{"OKEnableFailedButGETHasURL", &fakeVNC{get: []*virtfusion.VNC{off, offWithURL}, enErr: busy}, "/vnc/?token=a", "", 1},
		{"ErrEnableFailed", &fakeVNC{get: []*virtfusion.VNC{off}, enErr: busy}, "", panel.ESERVERBUSY, 1},
		{"ErrNeverAURL", &fakeVNC{get: []*virtfusion.VNC{off}, enable: off}, "", panel.EUPSTREAM, 1},
		{"ErrGETFailsEnableWorks", &fakeVNC{getErr: errors.New("down"), enable: on}, "/vnc/?token=b", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &handlers{d: Deps{VirtFusion: tt.f}}
			v, err := h.consoleVNC(context.Background(), 7)
			if tt.wantCode != "" {
				if panel.ErrorCode(err) != tt.wantCode {
					t.Fatalf("got %v, want %s", err, tt.wantCode)
				}
			} else if err != nil || v.WSSURL != tt.wantURL {
				t.Fatalf("got %+v, %v; want %s", v, err, tt.wantURL)
			}
			if tt.f.enables != tt.wantEnables {
				t.Errorf("enabled %d times, want %d", tt.f.enables, tt.wantEnables)
			}
		})
	}
}
