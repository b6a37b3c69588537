# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the shipped zongzhi program with real input through an X server.

Each test gets an X server of its own (Xvfb, at the screen size under test) with a small window
manager (openbox), starts `zongzhi` on a fresh demo database and sends key presses and pointer
clicks through the XTEST extension (xdotool). Results are read from the database on a connection
of its own, from window titles and geometry, and from screenshots. Nothing here waits a fixed
time: every wait is for a condition, with a generous limit that only decides when to give up.
"""

import ctypes
import ctypes.util
import gettext
import hashlib
import glob
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

LIMIT = float(os.environ.get("ZZ_REAL_INPUT_LIMIT", "60"))


class _XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p), ("byte_order", ctypes.c_int),
                ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int),
                ("bitmap_pad", ctypes.c_int), ("depth", ctypes.c_int),
                ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int)]


class ScreenReader:
    """Reads the screen's pixels straight from the X server (much faster than a screenshot
    program, so that waiting for the screen to settle costs little)."""

    def __init__(self, display):
        x = ctypes.CDLL(ctypes.util.find_library("X11"))
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XGetImage.restype = ctypes.POINTER(_XImage)
        x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        x.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.x = x
        self.d = x.XOpenDisplay(display.encode())
        if not self.d:
            raise OSError("cannot open " + display)
        self.root = x.XDefaultRootWindow(self.d)

    def digest(self, width, height):
        img = self.x.XGetImage(self.d, self.root, 0, 0, width, height, 0xFFFFFFFF, 2)  # ZPixmap
        try:
            im = img.contents
            return hashlib.md5(ctypes.string_at(im.data, im.bytes_per_line * im.height)).digest()
        finally:
            self.x.XDestroyImage(img)

    def close(self):
        self.x.XCloseDisplay(self.d)


def catalog(lang="zh_CN"):
    """The program's own translations, to expect what it shows."""
    try:
        return gettext.translation("zongzhi", os.environ.get("ZZ_LOCALEDIR"), languages=[lang])
    except OSError:
        return gettext.NullTranslations()


class Skip(Exception):
    pass


class Failure(Exception):
    pass


class Tap:
    """The TAP lines meson reads; a failed check ends the test with a diagnosis."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=""):
        self.n += 1
        if cond:
            print(f"ok {self.n} - {what}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.n} - {what}", flush=True)
            if detail:
                for line in str(detail).splitlines():
                    print(f"# {line}", flush=True)
        return cond

    def must(self, cond, what, detail=""):
        if not self.ok(cond, what, detail):
            raise Failure(what)

    def note(self, text):
        for line in str(text).splitlines():
            print(f"# {line}", flush=True)


def wait_for(cond, what, limit=LIMIT, interval=0.05):
    """Polls @cond until it returns a true value; raises Failure after @limit seconds."""
    end = time.monotonic() + limit
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            raise Failure(f"gave up waiting for {what}")
        time.sleep(interval)


def tools_missing():
    return [t for t in ("Xvfb", "xdotool", "openbox", "xclip", "xprop", "xwininfo")
            if shutil.which(t) is None]


OPENBOX_RC = """<?xml version="1.0" encoding="UTF-8"?>
<openbox_config xmlns="http://openbox.org/3.4/rc">
  <focus><focusNew>yes</focusNew><followMouse>no</followMouse></focus>
  <placement><policy>Smart</policy><center>yes</center></placement>
  <desktops><number>1</number></desktops>
  <margins><top>0</top><bottom>0</bottom><left>0</left><right>0</right></margins>
  <keyboard></keyboard>
  <mouse></mouse>
</openbox_config>
"""


class Session:
    """An X server, a window manager, a demo database and the program on it."""

    def __init__(self, tap, width=1280, height=800, lang="zh_CN", name="real"):
        missing = tools_missing()
        if missing:
            raise Skip("missing " + " ".join(missing))
        self.tap = tap
        self.width, self.height = width, height
        self.name = name
        self.tmp = tempfile.mkdtemp(prefix="zz-real-")
        self.procs = []
        self.clip = None
        self.app = None
        self.reader = None
        self.build = os.environ.get("ZZ_BUILD_ROOT") or os.path.dirname(os.path.dirname(
            os.environ["ZZ_CLI"]))
        self.shots = os.environ.get("ZZ_SCREENSHOT_DIR") or os.path.join(self.build, "screenshots")
        os.makedirs(self.shots, exist_ok=True)
        home = os.path.join(self.tmp, "home")
        for d in ("", ".config", ".cache", ".local/share", "Documents", "run"):
            os.makedirs(os.path.join(home, d), exist_ok=True)
        os.chmod(os.path.join(home, "run"), 0o700)
        # A steady screen is how the tests see that the program has done what a key asked: no
        # blinking cursor, no animations.
        os.makedirs(os.path.join(home, ".config", "gtk-4.0"), exist_ok=True)
        with open(os.path.join(home, ".config", "gtk-4.0", "settings.ini"), "w") as f:
            f.write("[Settings]\ngtk-cursor-blink=false\ngtk-enable-animations=false\ngtk-decoration-layout=:close\n")
        self.home = home
        self.env = dict(os.environ)
        for k in ("WAYLAND_DISPLAY", "XAUTHORITY", "SESSION_MANAGER"):
            self.env.pop(k, None)
        self.env.update({
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "XDG_DATA_HOME": os.path.join(home, ".local/share"),
            "XDG_RUNTIME_DIR": os.path.join(home, "run"),
            "GSETTINGS_BACKEND": "memory",
            "GDK_BACKEND": "x11",
            "GSK_RENDERER": "cairo",
            "NO_AT_BRIDGE": "1",
            "GTK_A11Y": "none",
            "DBUS_SESSION_BUS_ADDRESS": "disabled:",
            "GTK_PRINT_BACKENDS": "file",
            "LANGUAGE": lang,
            "LC_ALL": "C.UTF-8",
        })
        self.tr = catalog(lang).gettext
        self._start_x()

    # ---- X server and window manager ----

    def _start_x(self):
        r, w = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{self.width}x{self.height}x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        self.procs.append(xvfb)
        data = b""
        with os.fdopen(r, "rb") as f:
            while not data.endswith(b"\n"):
                chunk = f.read(1)
                if not chunk:
                    raise Skip("Xvfb did not start")
                data += chunk
        self.display = ":" + data.decode().strip()
        self.env["DISPLAY"] = self.display
        rc = os.path.join(self.tmp, "openbox-rc.xml")
        with open(rc, "w") as f:
            f.write(OPENBOX_RC)
        self.procs.append(subprocess.Popen(["openbox", "--config-file", rc], env=self.env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for(lambda: "window id" in self.x("xprop", "-root", "_NET_SUPPORTING_WM_CHECK",
                                                 check=False),
                 "the window manager")

    def x(self, *args, check=True, input=None):
        p = subprocess.run(list(args), env=self.env, capture_output=True, text=True, input=input)
        if check and p.returncode != 0:
            raise Failure(f"{' '.join(args)}: {p.stderr.strip()}")
        return p.stdout

    # ---- the program ----

    def demo_db(self):
        """A fresh copy of today's demo database (made once a day per build folder: the tests
        share it, each works on a copy of its own)."""
        self.db = os.path.join(self.tmp, "zongzhi.db")
        cache = os.path.join(self.build, "tests", "real-input-demo-%s.db" % time.strftime("%Y-%m-%d"))
        if not os.path.exists(cache):
            part = os.path.join(self.tmp, "demo.db")
            subprocess.run([os.environ["ZZ_CLI"], "--db", part, "demo"], env=self.env, check=True,
                           stdout=subprocess.DEVNULL)
            for old in glob.glob(os.path.join(self.build, "tests", "real-input-demo-*.db")):
                if old != cache:
                    os.unlink(old)
            shutil.copyfile(part, f"{cache}.{os.getpid()}")
            os.replace(f"{cache}.{os.getpid()}", cache)
        shutil.copyfile(cache, self.db)
        return self.db

    def start(self, *extra):
        exe = os.environ.get("ZZ_APP") or os.path.join(self.build, "src", "gui", "zongzhi")
        self.log = open(os.path.join(self.tmp, "app.log"), "w")
        # The print-to-file printer writes into the folder the program was started in.
        self.cwd = os.path.join(self.tmp, "cwd")
        os.makedirs(self.cwd, exist_ok=True)
        self.app = subprocess.Popen([exe, "--db", self.db, *extra], env=self.env, cwd=self.cwd,
                                    stdout=self.log, stderr=subprocess.STDOUT)
        self.procs.append(self.app)
        return self.window()

    def windows(self):
        """The program's visible windows and dialogs (not its menus, lists or tooltips)."""
        out = self.x("xdotool", "search", "--onlyvisible", "--pid", str(self.app.pid), check=False)
        res = []
        for w in out.split():
            kind = self.x("xprop", "-id", w, "_NET_WM_WINDOW_TYPE", check=False)
            if "=" not in kind or "NORMAL" in kind or "DIALOG" in kind:
                res.append(int(w))
        return res

    def window(self, title=None, exclude=(), limit=LIMIT):
        """The first visible window of the program (with @title in its name), once it is shown."""
        def find():
            if self.app.poll() is not None:
                raise Failure(f"the program ended ({self.app.returncode}):\n{self.app_log()}")
            for w in self.windows():
                if w in exclude:
                    continue
                if title is None or title in self.title(w):
                    return w
            return None
        return wait_for(find, f"a window titled {title!r}" if title else "a window", limit)

    def title(self, wid):
        return self.x("xdotool", "getwindowname", str(wid), check=False).strip()

    def geometry(self, wid):
        """(x, y, width, height) of the window on the screen, as xwininfo sees it."""
        out = self.x("xwininfo", "-id", str(wid))
        v = {}
        for line in out.splitlines():
            line = line.strip()
            for key in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height"):
                if line.startswith(key + ":"):
                    v[key] = int(line.split(":")[1])
        return (v["Absolute upper-left X"], v["Absolute upper-left Y"], v["Width"], v["Height"])

    def frame_extents(self, wid):
        """GTK's client-side shadow around the window (left, right, top, bottom)."""
        out = self.x("xprop", "-id", str(wid), "_GTK_FRAME_EXTENTS", check=False)
        if "=" not in out:
            return (0, 0, 0, 0)
        return tuple(int(v) for v in out.split("=")[1].split(","))

    def app_log(self):
        try:
            with open(os.path.join(self.tmp, "app.log")) as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def active(self, wid, what="the window"):
        """Waits until @wid has the keyboard focus (a dialog that closed gives it back)."""
        wait_for(lambda: self.x("xdotool", "getactivewindow", check=False).strip() == str(wid),
                 f"{what} to have the focus again")

    def focus(self, wid):
        self.x("xdotool", "windowactivate", "--sync", str(wid), check=False)
        wait_for(lambda: self.x("xdotool", "getactivewindow", check=False).strip() == str(wid),
                 f"window {wid} to take the focus")

    def log_in(self, login, password):
        """Logs in through the login window by typing, as at the desk; returns the main window."""
        w = self.start()
        self.focus(w)
        self.type(login)
        self.key("Return")
        self.type(password)
        self.key("Return")
        main = self.window(exclude=(w,))
        self.focus(main)
        self.settle()
        return main

    def page_title(self, page):
        """The main window's title while @page (its English name) is shown."""
        return self.tr("%s — %s") % (self.tr(page), self.centre)

    @property
    def centre(self):
        return self.q1("SELECT name FROM node WHERE is_self = 1")

    # ---- hands ----

    def key(self, *keys):
        self.x("xdotool", "key", "--delay", "30", *keys)

    def type(self, text):
        self.x("xdotool", "type", "--delay", "30", text)

    def paste(self, text):
        """Puts @text on the clipboard (as a person's input method would deliver it) and sends
        ctrl+v: xdotool cannot type characters the keyboard map lacks. Returns once the text
        shows: a paste arrives later than the keys after it would."""
        if self.clip and self.clip.poll() is None:
            self.clip.terminate()
            self.clip.wait()
        self.clip = subprocess.Popen(["xclip", "-quiet", "-selection", "clipboard", "-i"],
                                     env=self.env, stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.clip.stdin.write(text.encode())
        self.clip.stdin.close()
        wait_for(lambda: self.x("xclip", "-o", "-selection", "clipboard", check=False) == text,
                 "the clipboard")
        self.after(lambda: self.key("ctrl+v"), f"the pasted {text!r} to show")

    # ---- waiting for the screen ----

    def shot_hash(self):
        if self.reader is None:
            try:
                self.reader = ScreenReader(self.display)
            except OSError:
                self.reader = False
        if self.reader:
            return self.reader.digest(self.width, self.height)
        p = subprocess.run(["import", "-display", self.display, "-window", "root", "-depth", "8",
                            "rgb:-"], env=self.env, capture_output=True)
        return hashlib.md5(p.stdout).digest()

    def settle(self, limit=LIMIT):
        """Waits until the screen stays the same over three looks."""
        last, same = self.shot_hash(), 0
        end = time.monotonic() + limit
        while same < 2:
            if time.monotonic() > end:
                raise Failure("the screen never settled")
            time.sleep(0.05)
            h = self.shot_hash()
            same = same + 1 if h == last else 0
            last = h

    def after(self, action, what, limit=LIMIT):
        """Does @action and waits until the screen changes and settles."""
        h0 = self.shot_hash()
        action()
        wait_for(lambda: self.shot_hash() != h0, what, limit)
        self.settle()

    def popups(self):
        out = self.x("xdotool", "search", "--onlyvisible", "--pid", str(self.app.pid), check=False)
        res = []
        for w in out.split():
            t = self.x("xprop", "-id", w, "_NET_WM_WINDOW_TYPE", check=False)
            if "MENU" in t or "COMBO" in t:
                res.append(int(w))
        return res

    def choose(self, *keys):
        """Opens a drop-down's list with Enter, moves with @keys and takes the item with Enter."""
        self.key("Return")
        wait_for(self.popups, "the list to open")
        self.settle()
        if keys:
            self.key(*keys)
        self.key("Return")
        wait_for(lambda: not self.popups(), "the list to close")
        self.settle()

    def click(self, wid, x, y, button=1):
        self.x("xdotool", "mousemove", "--window", str(wid), str(x), str(y))
        self.x("xdotool", "click", str(button))

    # ---- what it shows ----

    def screenshot(self, name, wid=None):
        path = os.path.join(self.shots, name)
        target = ["-window", str(wid)] if wid else ["-window", "root"]
        self.x("import", "-display", self.display, *target, path)
        self.tap.note(f"screenshot: {path}")
        return path

    # ---- the database ----

    def q(self, sql, *params):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def q1(self, sql, *params):
        rows = self.q(sql, *params)
        return rows[0][0] if rows else None

    # ---- end ----

    def close(self):
        if self.reader:
            self.reader.close()
            self.reader = None
        if self.clip and self.clip.poll() is None:
            self.clip.terminate()
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if self.app is not None and self.app.returncode not in (0, -signal.SIGTERM, None):
            self.tap.note(f"the program ended with {self.app.returncode}")
        shutil.rmtree(self.tmp, ignore_errors=True)


def run(test, **kw):
    """Runs test(session) with TAP output; a missing tool or display is a skip."""
    tap = Tap()
    session = None
    try:
        session = Session(tap, **kw)
        test(session)
    except Skip as e:
        print(f"1..0 # SKIP {e}", flush=True)
        return 0
    except Failure as e:
        tap.ok(False, str(e), session.app_log() if session else "")
    except Exception as e:  # a broken test shows why
        import traceback
        tap.ok(False, f"{type(e).__name__}: {e}", traceback.format_exc())
    finally:
        if session:
            shot_on_failure = tap.failed and session.display
            if shot_on_failure:
                try:
                    session.screenshot(f"{session.name}-failure.png")
                except Exception:
                    pass
            session.close()
    print(f"1..{tap.n}", flush=True)
    return 1 if tap.failed else 0
