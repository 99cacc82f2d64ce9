package vfsim

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// rfbClient is a minimal RFB 3.8 client: handshake, VNC auth, one
// framebuffer update.
type rfbClient struct {
	conn net.Conn
	r    *bufio.Reader
	w, h int
	name string
}

// dialRFB connects to wss URL u, authenticates with password and reads ServerInit.
func dialRFB(ctx context.Context, u, password string) (*rfbClient, error) {
	c, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{Subprotocols: []string{"binary"}})
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	if resp.Header.Get("Sec-WebSocket-Protocol") != "binary" {
		return nil, fmt.Errorf("got subprotocol %q", resp.Header.Get("Sec-WebSocket-Protocol"))
	}
	c.SetReadLimit(8 << 20)
	conn := websocket.NetConn(ctx, c, websocket.MessageBinary)
	cl := &rfbClient{conn: conn, r: bufio.NewReader(conn)}
	ver := make([]byte, 12)
	if _, err := io.ReadFull(cl.r, ver); err != nil {
		return nil, err
	}
	if string(ver) != "RFB 003.008\n" {
		return nil, fmt.Errorf("got version %q", ver)
	}
	if _, err := conn.Write([]byte("RFB 003.008\n")); err != nil {
		return nil, err
	}
	n, err := cl.r.ReadByte()
	if err != nil {
		return nil, err
	}
	types := make([]byte, n)
	if _, err := io.ReadFull(cl.r, types); err != nil {
		return nil, err
	}
	if n != 1 || types[0] != 2 {
		return nil, fmt.Errorf("got security types %v", types)
	}
	if _, err := conn.Write([]byte{2}); err != nil {
		return nil, err
	}
	challenge := make([]byte, 16)
	if _, err := io.ReadFull(cl.r, challenge); err != nil {
		return nil, err
	}
	if _, err := conn.Write(vncEncrypt(password, challenge)); err != nil {
		return nil, err
	}
	var result uint32
	if err := binary.Read(cl.r, binary.BigEndian, &result); err != nil {
		return nil, err
	}
	if result != 0 {
		var l uint32
		_ = binary.Read(cl.r, binary.BigEndian, &l)
		reason := make([]byte, l)
		_, _ = io.ReadFull(cl.r, reason)
		return nil, fmt.Errorf("%w: %s", errAuth, reason)
	}
	if _, err := conn.Write([]byte{1}); err != nil { // ClientInit, shared
		return nil, err
	}
	init := make([]byte, 24)
	if _, err := io.ReadFull(cl.r, init); err != nil {
		return nil, err
	}
	cl.w, cl.h = int(binary.BigEndian.Uint16(init[0:])), int(binary.BigEndian.Uint16(init[2:]))
	if init[4] != 32 || init[7] != 1 {
		return nil, fmt.Errorf("got pixel format %v", init[4:20])
	}
	name := make([]byte, binary.BigEndian.Uint32(init[20:]))
	if _, err := io.ReadFull(cl.r, name); err != nil {
		return nil, err
	}
	cl.name = string(name)
	return cl, nil
}

var errAuth = errors.New("rfb auth failed")

// frame requests a full update and returns its 32bpp pixels (BGRX little endian).
func (c *rfbClient) frame() ([]byte, error) {
	req := []byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(req[6:], uint16(c.w))
	binary.BigEndian.PutUint16(req[8:], uint16(c.h))
	if _, err := c.conn.Write(req); err != nil {
		return nil, err
	}
	hdr := make([]byte, 4)
	if _, err := io.ReadFull(c.r, hdr); err != nil {
		return nil, err
	}
	if hdr[0] != 0 || binary.BigEndian.Uint16(hdr[2:]) != 1 {
		return nil, fmt.Errorf("got update header %v", hdr)
	}
	rect := make([]byte, 12)
	if _, err := io.ReadFull(c.r, rect); err != nil {
		return nil, err
	}
	w, h := int(binary.BigEndian.Uint16(rect[4:])), int(binary.BigEndian.Uint16(rect[6:]))
	if w != c.w || h != c.h || binary.BigEndian.Uint32(rect[8:]) != 0 {
		return nil, fmt.Errorf("got rect %v", rect)
	}
	px := make([]byte, w*h*4)
	_, err := io.ReadFull(c.r, px)
	return px, err
}

func litPixels(px []byte) int {
	n := 0
	for i := 0; i < len(px); i += 4 {
		if px[i]|px[i+1]|px[i+2] != 0 {
			n++
		}
	}
	return n
}

func TestVNC(t *testing.T) {
	h := newHarness(t, Options{Clock: time.Now, PowerDelay: time.Millisecond})
	_, sid := h.mustBuilt(t)
	ws := "ws" + strings.TrimPrefix(h.srv.URL, "http")
	vnc := func(t *testing.T) (url, password string) {
		v := data(h.mustJSON(t, "GET", "/servers/"+itoa(sid)+"/vnc", nil, 200))["vnc"].(map[string]any)
		wss := v["wss"].(map[string]any)
		if !strings.HasPrefix(wss["url"].(string), "/vnc/?token=") {
			t.Fatalf("got wss %v", wss)
		}
		return ws + wss["url"].(string), v["password"].(string)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	var runningLit int
	t.Run("OKRunning", func(t *testing.T) {
		u, pw := vnc(t)
		c, err := dialRFB(ctx, u, pw)
		if err != nil {
			t.Fatal(err)
		}
		defer c.conn.Close()
		if c.w != 640 || c.h != 400 || !strings.Contains(c.name, "VirtFusion") {
			t.Errorf("got %dx%d %q", c.w, c.h, c.name)
		}
		px, err := c.frame()
		if err != nil {
			t.Fatal(err)
		}
		runningLit = litPixels(px)
		if runningLit < 2000 {
			t.Errorf("running console: got %d lit pixels, want a text screen", runningLit)
		}
	})
	t.Run("OKStopped", func(t *testing.T) {
		h.mustJSON(t, "POST", "/servers/"+itoa(sid)+"/power/poweroff", nil, 200)
		h.sim.Advance()
		u, pw := vnc(t)
		c, err := dialRFB(ctx, u, pw)
		if err != nil {
			t.Fatal(err)
		}
		defer c.conn.Close()
		px, err := c.frame()
		if err != nil {
			t.Fatal(err)
		}
		if lit := litPixels(px); lit == 0 || lit >= runningLit/3 {
			t.Errorf("stopped console: got %d lit pixels (running %d), want a mostly black screen", lit, runningLit)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		u, _ := vnc(t)
		_, err := dialRFB(ctx, u, "wrongpw1")
		if !errors.Is(err, errAuth) {
			t.Errorf("got %v, want auth failure", err)
		}
	})
	t.Run("ErrPlainGET", func(t *testing.T) {
		u, _ := vnc(t)
		resp, err := http.Get("http" + strings.TrimPrefix(u, "ws"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("got %d, want 405", resp.StatusCode)
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		_, _, err := websocket.Dial(ctx, ws+"/vnc/?token=nope", &websocket.DialOptions{Subprotocols: []string{"binary"}})
		if err == nil {
			t.Error("got a connection with a bad token")
		}
	})
}

func TestVNCKey(t *testing.T) {
	// Known answer: VNC bit-reverses each password byte for the DES key.
	got := vncKey("ab")
	want := []byte{0x86, 0x46, 0, 0, 0, 0, 0, 0}
	if string(got) != string(want) {
		t.Errorf("got %x, want %x", got, want)
	}
}

func BenchmarkRenderConsole(b *testing.B) {
	s := New(Options{Seed: true})
	sess := &consoleSession{}
	for b.Loop() {
		s.renderConsole(101, sess)
	}
}
