#!/usr/bin/env python3
"""A fake GSM modem on a pseudo-terminal, for tests of the real AT path.

usage: fakemodem.py --link PATH [--log FILE] [--ctl FIFO] [--pidfile FILE]
                     [--capacity N]

libGammu's AT driver (connection = at, device = PATH) talks to it as to a
USB modem: it answers the commands Gammu sends to identify the modem, read,
delete and send messages (PDU mode, one SIM store "SM"), watch for new
messages and calls, and hang up. Lines written to the control FIFO change
its world or make it misbehave:

  deliver NUMBER TEXT           store an incoming SMS (GSM 7-bit when the
                                text allows, else UCS-2; concatenated parts
                                when long) and announce it with +CMTI
  deliver-parts NUMBER REF LIST TEXT
                                store only the parts in LIST (e.g. 3,1) of
                                TEXT split with reference REF
  deliver-raw HEXPDU            store a PDU (with its SMSC prefix) as given
  status-report MR NUMBER [delivered|failed]
                                store a delivery report for message MR
  ring NUMBER                   an incoming call (RING, +CLIP) until hung up
  fault silent-on PREFIX        commands starting with PREFIX get no answer;
  fault garbage-on PREFIX       ... get random bytes and no OK;
  fault error-on PREFIX         ... get ERROR;
  fault vanish-on PREFIX        ... make the device vanish (as vanish)
  fault clear                   behave again
  vanish                        the device disappears (pty closed, link
                                removed); stored messages are kept
  appear                        a new device node under the same link
  full                          report the SIM store as full
  pin on|off                    the SIM asks for its PIN: +CPIN: SIM PIN,
                                and the SIM's store refuses (CME ERROR 11)

The log (--log) has one line per event: "RX <command>", "STORED <index>
from=<number> part=<n>/<total>", "DELETED <index>", "SENT mr=<n>
to=<number> text=<text>", "HANGUP", "FAULT ...", "VANISH", "APPEAR".
Python's standard library only.
"""
import argparse
import datetime
import os
import random
import select
import signal
import sys
import time
import tty

# GSM 03.38 default alphabet (no extension table: texts that need it go
# out as UCS-2, as a phone would do).
GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;"
        "<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
SMSC = "+8613800371500"
IMEI = "351234567890123"
IMSI = "460001234567890"


# --- PDU encoding (3GPP TS 23.040) ---------------------------------------

def semi_octets(digits):
    """'8613800' -> '6831080F': BCD digits, nibbles swapped, F-padded."""
    if len(digits) % 2:
        digits += "F"
    return "".join(digits[i + 1] + digits[i] for i in range(0, len(digits), 2))


def address(number):
    """An originating/recipient address field: length in digits, type, BCD."""
    digits = number.lstrip("+")
    kind = "91" if number.startswith("+") else "81"
    return "%02X%s%s" % (len(digits), kind, semi_octets(digits))


def smsc_field(number):
    """The SMSC prefix of a stored PDU: length in octets, type, BCD."""
    bcd = semi_octets(number.lstrip("+"))
    return "%02X91%s" % (len(bcd) // 2 + 1, bcd)


def timestamp(t=None):
    """TP-SCTS: YYMMDDhhmmss and zone, each as swapped semi-octets (UTC+8)."""
    cst = datetime.timezone(datetime.timedelta(hours=8))
    tm = datetime.datetime.fromtimestamp(t or time.time(), cst).timetuple()
    fields = "%02d%02d%02d%02d%02d%02d%02d" % (
        tm.tm_year % 100, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min,
        tm.tm_sec, 32)          # +08:00 is 32 quarter hours
    return semi_octets(fields)


def gsm7_ok(text):
    return all(c in GSM7 for c in text)


def pack_septets(septets, fill_bits):
    """Pack 7-bit values little-endian after fill_bits zero bits."""
    acc, nbits, out = 0, fill_bits, bytearray()
    for s in septets:
        acc |= s << nbits
        nbits += 7
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits:
        out.append(acc & 0xFF)
    return bytes(out)


def unpack_septets(data, fill_bits, count):
    acc = int.from_bytes(data, "little") >> fill_bits
    return [(acc >> (7 * i)) & 0x7F for i in range(count)]


def split_text(text, ucs2):
    """The parts of a message: one if it fits, else 67/153 per part."""
    if ucs2:
        units = text.encode("utf-16-be")
        if len(units) <= 140:
            return [units]
        return [units[i:i + 134] for i in range(0, len(units), 134)]
    if len(text) <= 160:
        return [text]
    return [text[i:i + 153] for i in range(0, len(text), 153)]


def deliver_pdus(number, text, ref=None, when=None):
    """SMS-DELIVER PDUs (hex, with SMSC prefix) and TPDU lengths; when:
    the SMSC time stamp (Unix seconds, default now)."""
    ucs2 = not gsm7_ok(text)
    parts = split_text(text, ucs2)
    ref = random.randrange(256) if ref is None else ref
    out = []
    for n, part in enumerate(parts, 1):
        udh = bytes([5, 0, 3, ref, len(parts), n]) if len(parts) > 1 else b""
        first = 0x04 | (0x40 if udh else 0)     # DELIVER, no more messages
        if ucs2:
            ud = udh + part
            udl = len(ud)
            dcs = 0x08
        else:
            septets = [GSM7.index(c) for c in part]
            fill = (7 - (len(udh) * 8) % 7) % 7 if udh else 0
            ud = udh + pack_septets(septets, fill)
            udl = (len(udh) * 8 + fill) // 7 + len(septets)
            dcs = 0x00
        tpdu = "%02X%s00%02X%s%02X%s" % (first, address(number), dcs,
                                         timestamp(when), udl,
                                         ud.hex().upper())
        out.append((smsc_field(SMSC) + tpdu, len(tpdu) // 2))
    return out


def status_report_pdu(mr, number, delivered=True):
    """SMS-STATUS-REPORT: TP-ST 0x00 delivered, 0x41 failed (permanent)."""
    tpdu = "06%02X%s%s%s%02X" % (mr % 256, address(number), timestamp(),
                                 timestamp(), 0x00 if delivered else 0x41)
    return smsc_field(SMSC) + tpdu, len(tpdu) // 2


def decode_submit(pdu):
    """(number, udh hex, text) of an SMS-SUBMIT PDU as AT+CMGS sends it."""
    b = bytes.fromhex(pdu)
    pos = 1 + b[0]                      # skip the SMSC field
    first = b[pos]
    pos += 2                            # first octet, TP-MR
    ndigits, kind = b[pos], b[pos + 1]
    nbytes = (ndigits + 1) // 2
    bcd = b[pos + 2:pos + 2 + nbytes].hex().upper()
    digits = "".join(bcd[i + 1] + bcd[i] for i in range(0, len(bcd), 2))
    number = ("+" if kind == 0x91 else "") + digits[:ndigits]
    pos += 2 + nbytes
    dcs = b[pos + 1]
    pos += 2                            # TP-PID, TP-DCS
    vpf = (first >> 3) & 3
    pos += {0: 0, 2: 1}.get(vpf, 7)     # validity period
    udl = b[pos]
    ud = b[pos + 1:]
    udh = b""
    if first & 0x40:
        udh = ud[:ud[0] + 1]
    if dcs & 0x0C == 0x08:
        text = ud[len(udh):udl].decode("utf-16-be", errors="replace")
    else:
        fill = (7 - (len(udh) * 8) % 7) % 7 if udh else 0
        count = udl - (len(udh) * 8 + fill) // 7
        septets = unpack_septets(ud[len(udh):], fill, count)
        text = "".join(GSM7[s] for s in septets)
    return number, udh.hex().upper(), text


# --- the modem ------------------------------------------------------------

class FakeModem:
    def __init__(self, args):
        self.args = args
        self.logf = open(args.log, "a", buffering=1) if args.log \
            else sys.stdout
        self.store = {}         # index -> [stat, pdu, tpdu length]
        self.capacity = args.capacity
        self.full = False
        self.pin = False
        self.echo = True
        self.cnmi = False
        self.clip = False
        self.mr = 0
        self.rules = {}         # command prefix -> fault mode
        self.caller = None
        self.next_ring = 0
        self.master = self.slave = None
        self.inbuf = b""
        self.pdu = None         # bytes after AT+CMGS=, until Ctrl-Z
        self.appear()

    def log(self, line):
        self.logf.write("%s %s\n" % (time.strftime("%H:%M:%S"), line))

    # The device node.
    def appear(self):
        if self.master is not None:
            return
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # before Gammu opens it: no echo, no CR fix
        link = self.args.link
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.ttyname(self.slave), link)
        self.inbuf, self.pdu = b"", None
        self.log("APPEAR %s" % os.ttyname(self.slave))

    def vanish(self):
        if self.master is None:
            return
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = None
        if os.path.lexists(self.args.link):
            os.unlink(self.args.link)
        self.caller = None
        self.log("VANISH")

    def write(self, data):
        if self.master is None:
            return
        try:
            os.write(self.master, data.encode() if isinstance(data, str)
                     else data)
        except OSError:
            pass

    # The SIM store.
    def used(self):
        return self.capacity if self.full else len(self.store)

    def put(self, pdu, length, stat=0):
        if self.used() >= self.capacity:
            self.log("FULL: message dropped")
            return None
        index = next(i for i in range(1, 10000) if i not in self.store)
        self.store[index] = [stat, pdu, length]
        if self.cnmi:
            self.write('\r\n+CMTI: "SM",%d\r\n' % index)
        return index

    # Commands.
    def answer(self, cmd):
        """The reply to one AT command: a string, or None for the prompt."""
        c = cmd.upper()
        used, total = self.used(), self.capacity
        fixed = {
            "AT+CGMI": "FakeModem",
            "AT+CGMM": "FM-2",
            "AT+CGMR": "1.0",
            "AT+CGSN": IMEI,
            "AT+CIMI": IMSI,
            "AT+CPIN?": "+CPIN: READY",
            "AT+CSQ": "+CSQ: 23,99",
            "AT+CREG?": "+CREG: 2,1,\"1A2B\",\"00C3D4\"",
            "AT+CGREG?": '+CGREG: 2,1,"1A2B","00C3D4"',
            "AT+CGATT?": "+CGATT: 1",
            "AT+COPS?": '+COPS: 0,2,"46000"',
            "AT+CSCS?": '+CSCS: "GSM"',
            "AT+CSCS=?": '+CSCS: ("GSM","UCS2","IRA")',
            "AT+CMGF=?": "+CMGF: (0)",
            "AT+CMGF?": "+CMGF: 0",
            "AT+CFUN?": "+CFUN: 1",
            "AT+CSCA?": '+CSCA: "%s",145' % SMSC,
            "AT+CPMS=?": '+CPMS: ("SM"),("SM"),("SM")',
            "AT+CNMI=?": "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)",
            "AT+CPMS?": '+CPMS: "SM",%d,%d,"SM",%d,%d,"SM",%d,%d' % (
                used, total, used, total, used, total),
        }
        if self.pin and c == "AT+CPIN?":
            return "+CPIN: SIM PIN\r\n\r\nOK"
        if self.pin and c.startswith(("AT+CPMS", "AT+CMGL", "AT+CMGR",
                                      "AT+CMGS", "AT+CMGD")):
            return "+CME ERROR: 11"
        if c in fixed:
            return fixed[c] + "\r\n\r\nOK"
        if c in ("ATE0", "ATE1"):
            self.echo = c == "ATE1"
            return "OK"
        if c in ("ATH", "AT+CHUP"):
            if self.caller is not None:
                self.log("HANGUP")
            self.caller = None
            return "OK"
        if c.startswith("AT+CNMI="):
            self.cnmi = c.split("=")[1].split(",")[1:2] != ["0"]
            return "OK"
        if c.startswith("AT+CLIP="):
            self.clip = c.endswith("1")
            return "OK"
        if c in ("AT", "ATZ", "AT+CMEE=1", "AT+CMGF=0") or c.startswith(
                ("AT+CSCS=", "AT+CREG=", "AT+CGREG=", "AT+COPS=", "AT+CFUN=",
                 "AT+CRC=", "AT+CCWA=",
                 "ATV1", "ATQ0", "AT+CSMP=")):
            return "OK"
        if c.startswith("AT+CPMS="):
            if '"SM"' not in c:
                return "+CMS ERROR: 302"
            return "+CPMS: %d,%d,%d,%d,%d,%d\r\n\r\nOK" % (
                used, total, used, total, used, total)
        if c.startswith("AT+CMGL="):
            lines = []
            for index in sorted(self.store):
                stat, pdu, length = self.store[index]
                lines.append("+CMGL: %d,%d,,%d\r\n%s" % (index, stat, length,
                                                         pdu))
                self.store[index][0] = 1 if stat == 0 else stat
            return "\r\n".join(lines + ["", "OK"]) if lines else "OK"
        if c.startswith("AT+CMGR="):
            index = int(c.split("=")[1])
            if index not in self.store:
                return "+CMS ERROR: 321"
            stat, pdu, length = self.store[index]
            self.store[index][0] = 1 if stat == 0 else stat
            return "+CMGR: %d,,%d\r\n%s\r\n\r\nOK" % (stat, length, pdu)
        if c.startswith("AT+CMGD="):
            index = int(c.split("=")[1].split(",")[0])
            if index not in self.store:
                return "+CMS ERROR: 321"
            del self.store[index]
            self.log("DELETED %d" % index)
            return "OK"
        if c.startswith("AT+CMGS="):
            return None
        return "ERROR"

    def fault_for(self, cmd):
        for prefix, mode in self.rules.items():
            if cmd.upper().startswith(prefix):
                return mode
        return None

    def command(self, cmd):
        self.log("RX %s" % cmd)
        fault = self.fault_for(cmd)
        if fault == "vanish":
            self.log("FAULT vanish on %s" % cmd)
            self.vanish()
            return
        if self.echo:
            self.write(cmd + "\r")
        if fault == "silent":
            self.log("FAULT silent on %s" % cmd)
            return
        if fault == "garbage":
            self.log("FAULT garbage on %s" % cmd)
            self.write(bytes(random.randrange(1, 256) for _ in range(24)))
            return
        if fault == "error":
            self.log("FAULT error on %s" % cmd)
            self.write("\r\nERROR\r\n")
            return
        reply = self.answer(cmd)
        if reply is None:
            self.pdu = b""
            self.write("\r\n> ")
        else:
            self.write("\r\n%s\r\n" % reply)

    def submitted(self, data):
        """The PDU typed after the prompt, up to Ctrl-Z (ESC cancels)."""
        self.pdu += data
        if b"\x1b" in self.pdu:
            self.pdu = None
            self.write("\r\nOK\r\n")
            return b""
        if b"\x1a" not in self.pdu:
            return b""
        pdu, rest = self.pdu.split(b"\x1a", 1)
        self.pdu = None
        pdu = pdu.decode(errors="replace").strip()
        if self.echo:
            self.write(pdu + "\x1a")
        self.mr = self.mr % 255 + 1
        try:
            number, udh, text = decode_submit(pdu)
            self.log("SENT mr=%d to=%s udh=%s text=%s" % (
                self.mr, number, udh or "-", text))
        except (ValueError, IndexError) as e:
            self.log("SENT mr=%d undecodable (%s): %s" % (self.mr, e, pdu))
        self.write("\r\n+CMGS: %d\r\n\r\nOK\r\n" % self.mr)
        return rest

    def received(self, data):
        while data:
            if self.pdu is not None:
                data = self.submitted(data)
                continue
            self.inbuf += data
            data = b""
            while b"\r" in self.inbuf and self.pdu is None:
                line, self.inbuf = self.inbuf.split(b"\r", 1)
                line = line.decode(errors="replace").strip("\n\x1a\x1b ")
                if line:
                    self.command(line)
                if self.master is None:
                    return
            if self.pdu is not None and self.inbuf:
                data, self.inbuf = self.inbuf, b""

    # The control FIFO.
    def control(self, line):
        self.log("CTL %s" % line)
        words = line.split(" ")
        verb = words[0]
        if verb == "deliver" and len(words) >= 3:
            self.deliver(words[1], " ".join(words[2:]))
        elif verb == "deliver-parts" and len(words) >= 5:
            keep = [int(n) for n in words[3].split(",")]
            self.deliver(words[1], " ".join(words[4:]), int(words[2]), keep)
        elif verb == "deliver-raw" and len(words) == 2:
            pdu = words[1].upper()
            length = len(pdu) // 2 - 1 - int(pdu[:2], 16)
            self.log("STORED %s raw" % self.put(pdu, length))
        elif verb == "status-report" and len(words) >= 3:
            ok = len(words) < 4 or words[3] != "failed"
            index = self.put(*status_report_pdu(int(words[1]), words[2], ok))
            self.log("STORED %s report mr=%s" % (index, words[1]))
        elif verb == "ring" and len(words) == 2:
            self.caller = words[1]
            self.next_ring = 0
        elif verb == "fault" and len(words) == 3 and words[1].endswith("-on"):
            self.rules[words[2].upper()] = words[1][:-3]
        elif verb == "fault" and len(words) == 2 and words[1] == "clear":
            self.rules = {}
        elif verb == "vanish":
            self.vanish()
        elif verb == "appear":
            self.appear()
        elif verb == "full":
            self.full = True
        elif verb == "pin" and len(words) == 2:
            self.pin = words[1] == "on"
        else:
            self.log("CTL not understood: %s" % line)

    def deliver(self, number, text, ref=None, keep=None):
        pdus = deliver_pdus(number, text, ref)
        for n, (pdu, length) in enumerate(pdus, 1):
            if keep is not None and n not in keep:
                continue
            index = self.put(pdu, length)
            self.log("STORED %s from=%s part=%d/%d" % (index, number, n,
                                                       len(pdus)))

    def ring(self):
        """RING and +CLIP every 3 seconds while a call is coming in."""
        if self.caller is None or self.master is None:
            return
        now = time.time()
        if now < self.next_ring:
            return
        self.next_ring = now + 3
        self.write("\r\nRING\r\n")
        if self.clip:
            self.write('\r\n+CLIP: "%s",145\r\n' % self.caller)

    def run(self):
        ctl = None
        if self.args.ctl:
            if not os.path.exists(self.args.ctl):
                os.mkfifo(self.args.ctl)
            ctl = os.open(self.args.ctl, os.O_RDWR | os.O_NONBLOCK)
        if self.args.pidfile:
            with open(self.args.pidfile, "w") as f:
                f.write("%d\n" % os.getpid())
        cbuf = b""
        while True:
            fds = [fd for fd in (self.master, ctl) if fd is not None]
            ready, _, _ = select.select(fds, [], [], 0.5)
            if self.master is not None and self.master in ready:
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    data = b""
                self.received(data)
            if ctl is not None and ctl in ready:
                cbuf += os.read(ctl, 4096)
                while b"\n" in cbuf:
                    line, cbuf = cbuf.split(b"\n", 1)
                    line = line.decode(errors="replace").strip()
                    if not line:
                        continue
                    try:
                        self.control(line)
                    except (ValueError, IndexError) as e:
                        # A bad command is the test's mistake: say so, go on.
                        self.log("BADCTL %r: %s" % (line, e))
            self.ring()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--link", required=True, help="symlink to the pty")
    ap.add_argument("--log", help="event log (default: stdout)")
    ap.add_argument("--ctl", help="control FIFO (created if missing)")
    ap.add_argument("--pidfile")
    ap.add_argument("--capacity", type=int, default=50,
                    help="messages the SIM holds (default 50)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    FakeModem(args).run()


if __name__ == "__main__":
    main()
