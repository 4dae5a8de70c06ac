//! A real Kannel SMS gateway for the tests: Debian's `bearerbox` and `smsbox` on loopback ports,
//! with Kannel's own fake operator (`fakesmsc`, from `kannel-extras`) connected as the SMSC.
//! Texts the service sends arrive at the fake operator, whose log the tests read; a text "from a
//! phone" is injected by starting a new fake operator connection that sends it (the gateway
//! serves one connection at a time, so the old one is stopped first; what the gateway sends while
//! none is connected waits in its store). Replies reach the service through the smsbox's
//! `get-url`. Without the packages the tests that need them are skipped, unless
//! `NEIGHBOURLY_REQUIRE_KANNEL=1` (as in CI) makes that a failure.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

const BEARERBOX: &str = "/usr/sbin/bearerbox";
const SMSBOX: &str = "/usr/sbin/smsbox";
const FAKESMSC: &str = "/usr/lib/kannel/test/fakesmsc";

pub const USERNAME: &str = "circle";
pub const PASSWORD: &str = "sendsms-password";

/// One text as the fake operator saw it go out.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub from: String,
    pub to: String,
    pub text: String,
}

pub struct Gateway {
    pub sendsms_url: String,
    admin_port: u16,
    smsc_port: u16,
    dir: tempfile::TempDir,
    boxes: Vec<Child>,
    operator: Mutex<Vec<Child>>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Whether Kannel is here; with `NEIGHBOURLY_REQUIRE_KANNEL=1`, its absence fails the test.
pub fn available() -> bool {
    let here = [BEARERBOX, SMSBOX, FAKESMSC]
        .iter()
        .all(|p| Path::new(p).exists());
    if !here && std::env::var("NEIGHBOURLY_REQUIRE_KANNEL").as_deref() == Ok("1") {
        panic!("NEIGHBOURLY_REQUIRE_KANNEL=1 but Kannel is not installed (apt-get install kannel kannel-extras)");
    }
    here
}

fn wait_for_port(port: u16, what: &str) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not open port {port}");
}

impl Gateway {
    /// Start the gateway; texts from phones go to `inbound` (the service's
    /// `/api/v1/sms/inbound?secret=…`). `None` when Kannel is not installed.
    pub fn start(inbound: &str) -> Option<Gateway> {
        if !available() {
            return None;
        }
        let dir = tempfile::tempdir().expect("a folder for the gateway");
        let (admin, smsbox, smsc, sendsms) = (free_port(), free_port(), free_port(), free_port());
        let d = dir.path().display();
        let conf = format!(
            r#"group = core
admin-port = {admin}
admin-password = admin-password
smsbox-port = {smsbox}
log-file = "{d}/bearerbox.log"
log-level = 1
dlr-storage = internal
store-type = spool
store-location = "{d}/spool"

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {sendsms}
log-file = "{d}/smsbox.log"
log-level = 1

group = sendsms-user
username = {USERNAME}
password = {PASSWORD}
max-messages = 3
concatenation = true

group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "{inbound}&from=%p&text=%a"
"#
        );
        std::fs::create_dir_all(dir.path().join("spool")).unwrap();
        let conf_path = dir.path().join("kannel.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let folder = dir.path().to_path_buf();
        let quiet = |name: &str| {
            std::fs::File::create(folder.join(name))
                .map(Stdio::from)
                .unwrap()
        };
        let bearerbox = Command::new(BEARERBOX)
            .arg(&conf_path)
            .stdout(quiet("bearerbox.out"))
            .stderr(quiet("bearerbox.err"))
            .spawn()
            .expect("bearerbox starts");
        let mut gateway = Gateway {
            sendsms_url: format!("http://127.0.0.1:{sendsms}/cgi-bin/sendsms"),
            admin_port: admin,
            smsc_port: smsc,
            dir,
            boxes: vec![bearerbox],
            operator: Mutex::new(Vec::new()),
        };
        wait_for_port(smsbox, "bearerbox");
        let smsbox = Command::new(SMSBOX)
            .arg(&conf_path)
            .stdout(quiet("smsbox.out"))
            .stderr(quiet("smsbox.err"))
            .spawn()
            .expect("smsbox starts");
        gateway.boxes.push(smsbox);
        wait_for_port(sendsms, "smsbox");
        gateway.connect_operator(None);
        Some(gateway)
    }

    /// Connect a new fake operator (stopping the one before), sending `text` from a phone first.
    fn connect_operator(&self, text: Option<&str>) {
        let mut operator = self.operator.lock().unwrap();
        if let Some(old) = operator.last_mut() {
            let _ = old.kill();
            let _ = old.wait();
        }
        let n = operator.len();
        let out = std::fs::File::create(self.dir.path().join(format!("operator-{n}.log"))).unwrap();
        let err = out.try_clone().unwrap();
        let mut cmd = Command::new(FAKESMSC);
        cmd.args(["-H", "127.0.0.1", "-r", &self.smsc_port.to_string()]);
        match text {
            Some(t) => cmd.args(["-m", "1", t]),
            None => cmd.args(["-m", "0", "0 0 text nothing"]),
        };
        let child = cmd
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .expect("fakesmsc starts");
        operator.push(child);
        drop(operator);
        self.wait_until_online();
    }

    /// The gateway's status page says its SMSC is online.
    fn wait_until_online(&self) {
        for _ in 0..200 {
            let status = http_get(self.admin_port, "/status.txt?password=admin-password");
            if status
                .lines()
                .any(|l| l.contains("fake") && l.contains("online"))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the fake operator did not come online");
    }

    /// A phone with number `from` texts the Circle; back once the gateway has it (the fake
    /// operator that sent it is stopped when the next one connects, so it must not be earlier).
    pub fn text_from(&self, from: &str, text: &str) {
        let before = self.received();
        self.connect_operator(Some(&format!("{from} CIRCLE text {text}")));
        for _ in 0..400 {
            if self.received() > before {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the gateway never received {text:?} from {from}");
    }

    /// How many texts from phones the gateway has received ("SMS: received N" on its status).
    fn received(&self) -> u64 {
        let status = http_get(self.admin_port, "/status.txt?password=admin-password");
        status
            .lines()
            .find_map(|l| l.trim().strip_prefix("SMS: received "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// Every text the fake operator has seen go out, in order.
    pub fn sent(&self) -> Vec<Sent> {
        let mut logs: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("operator-"))
            })
            .collect();
        logs.sort_by_key(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.strip_prefix("operator-"))
                .and_then(|n| n.parse::<usize>().ok())
        });
        let mut sent = Vec::new();
        // Parts of long texts: (to, from, reference, count, number, words).
        let mut parts: Vec<(String, String, u8, u8, u8, String)> = Vec::new();
        for log in logs {
            let bytes = std::fs::read(&log).unwrap_or_default();
            for line in String::from_utf8_lossy(&bytes).lines() {
                let Some(at) = line.find("Got message ") else {
                    continue;
                };
                let rest = &line[at..];
                let (Some(open), Some(close)) = (rest.find('<'), rest.rfind('>')) else {
                    continue;
                };
                let inner = &rest[open + 1..close];
                let mut fields = inner.splitn(4, ' ');
                let (from, to, kind, data) = (
                    fields.next().unwrap_or("").to_string(),
                    fields.next().unwrap_or("").to_string(),
                    fields.next().unwrap_or(""),
                    fields.next().unwrap_or(""),
                );
                match kind {
                    // One part of a long text: `udh <header> <data|ucs2> <part>`, joined as
                    // the phone joins them, by the header's reference, count and number.
                    "udh" => {
                        let mut bits = data.splitn(3, ' ');
                        let (udh, coding, part) = (
                            percent_bytes(bits.next().unwrap_or("")),
                            bits.next().unwrap_or(""),
                            bits.next().unwrap_or(""),
                        );
                        let text = match coding {
                            "ucs2" => ucs2(part),
                            _ => String::from_utf8_lossy(&percent_bytes(part)).to_string(),
                        };
                        let (reference, count, number) = match udh.as_slice() {
                            [5, 0, 3, r, c, n, ..] => (*r, *c, *n),
                            _ => (0, 1, 1),
                        };
                        parts.push((to.clone(), from.clone(), reference, count, number, text));
                    }
                    "ucs2" => sent.push(Sent {
                        from,
                        to,
                        text: ucs2(data),
                    }),
                    _ => sent.push(Sent {
                        from,
                        to,
                        text: data.to_string(),
                    }),
                }
            }
        }
        let mut whole: Vec<(String, String, u8)> = Vec::new();
        for (to, from, reference, count, _, _) in &parts {
            let mine: Vec<_> = parts
                .iter()
                .filter(|p| p.0 == *to && p.2 == *reference)
                .collect();
            if mine.len() < *count as usize || whole.iter().any(|w| w.0 == *to && w.2 == *reference)
            {
                continue;
            }
            whole.push((to.clone(), from.clone(), *reference));
            let mut ordered = mine;
            ordered.sort_by_key(|p| p.4);
            let text: String = ordered.iter().map(|p| p.5.as_str()).collect();
            sent.push(Sent {
                from: from.clone(),
                to: to.clone(),
                text,
            });
        }
        sent
    }

    /// Wait (up to 20 s) until a text to `to` whose words satisfy `is` has gone out.
    pub async fn wait_for(&self, to: &str, is: impl Fn(&str) -> bool) -> Sent {
        for _ in 0..400 {
            if let Some(s) = self
                .sent()
                .into_iter()
                .find(|s| s.to.trim_start_matches('+') == to.trim_start_matches('+') && is(&s.text))
            {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no such text to {to}; the operator saw {:#?}", self.sent());
    }
}

/// fakesmsc shows a UCS-2 text URL-encoded, two bytes a character.
fn ucs2(data: &str) -> String {
    let raw = percent_bytes(data);
    let units: Vec<u16> = raw
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// `%C5%81+…` as bytes.
fn percent_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A plain HTTP GET on loopback, its body.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    body
}

impl Drop for Gateway {
    fn drop(&mut self) {
        for child in self
            .operator
            .lock()
            .unwrap()
            .iter_mut()
            .chain(self.boxes.iter_mut().rev())
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
