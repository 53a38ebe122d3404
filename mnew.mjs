// micro.ts
import { readFileSync } from "node:fs";

// src/core/time/syslog-time.ts
var MONTHS = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11
};
var MONTH_CODES = new Map(Object.entries(MONTHS).map(([name, index]) => [
  name.charCodeAt(0) << 16 | name.charCodeAt(1) << 8 | name.charCodeAt(2),
  index
]));

// src/core/formats/format.ts
var CONTINUATION = Object.freeze({ kind: "continuation" });

// src/core/formats/auth-common.ts
function hasAt(text2, part, at) {
  if (part.length === 0) return at <= text2.length;
  return text2.charCodeAt(at) === part.charCodeAt(0) && text2.indexOf(part, at) === at;
}
var AUTHENTICATION = Object.freeze(["authentication"]);
var NETWORK = Object.freeze(["network"]);
var DENIED = Object.freeze(["denied"]);
var CONNECTION_START = Object.freeze(["connection", "start"]);
var SESSION = Object.freeze(["session"]);
var START = Object.freeze(["start"]);
var END = Object.freeze(["end"]);
var INFO = Object.freeze(["info"]);
var EventHead = function(category, type, action, outcome) {
  this["event.kind"] = "event";
  this["event.category"] = category;
  this["event.type"] = type;
  this["event.action"] = action;
  this["event.outcome"] = outcome;
};
EventHead.prototype = Object.prototype;

// src/core/formats/netfilter.ts
var UFW_ACTIONS = {
  "UFW BLOCK": "block",
  "UFW ALLOW": "allow",
  "UFW AUDIT": "audit",
  "UFW AUDIT INVALID": "audit-invalid",
  "UFW LIMIT BLOCK": "limit-block"
};
function findNetfilterBody(message) {
  if (hasAt(message, "IN=", 0)) return 0;
  const at = message.indexOf(" IN=");
  if (at < 0 || message.indexOf(" OUT=", at) < 0) return -1;
  return at + 1;
}
function actionFromPrefix(prefix) {
  const trimmed = prefix.trim();
  const inner = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed;
  const ufw = UFW_ACTIONS[inner];
  if (ufw !== void 0) return ufw;
  const lower = inner.toLowerCase();
  if (/drop|block|reject|deny|denied/.test(lower)) return "block";
  if (/accept|allow/.test(lower)) return "allow";
  return "log";
}
function transportName(proto) {
  switch (proto) {
    case "TCP":
      return "tcp";
    case "UDP":
      return "udp";
    case "UDPLITE":
      return "udplite";
    case "ICMP":
      return "icmp";
    case "ICMPv6":
      return "ipv6-icmp";
    case "SCTP":
      return "sctp";
    case "2":
      return "igmp";
    default:
      return proto.toLowerCase();
  }
}
function compactIpv6(address2) {
  const groups = address2.split(":");
  if (groups.length !== 8) return address2.toLowerCase();
  const parts = groups.map((g) => (g.replace(/^0+(?=.)/, "") || "0").toLowerCase());
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === "0") j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return parts.join(":");
  const head = parts.slice(0, bestStart).join(":");
  const tail = parts.slice(bestStart + bestLength).join(":");
  return `${head}::${tail}`;
}
var NETWORK2 = Object.freeze(["network"]);
var TYPE_ALLOWED = Object.freeze(["connection", "allowed"]);
var TYPE_DENIED = Object.freeze(["connection", "denied"]);
var TYPE_CONNECTION = Object.freeze(["connection"]);
var flagLists = /* @__PURE__ */ new Map();
var MAX_CACHED = 4096;
function flagList(spaced) {
  let list = flagLists.get(spaced);
  if (list === void 0) {
    list = Object.freeze(spaced.split(" "));
    if (flagLists.size < MAX_CACHED) flagLists.set(spaced, list);
  }
  return list;
}
var macPairs = /* @__PURE__ */ new Map();
function macPair(value) {
  let pair = macPairs.get(value);
  if (pair === void 0) {
    const bytes = value.split(":");
    pair = bytes.length >= 12 ? [bytes.slice(0, 6).join("-").toUpperCase(), bytes.slice(6, 12).join("-").toUpperCase()] : null;
    if (macPairs.size >= MAX_CACHED) macPairs.clear();
    macPairs.set(value, pair);
  }
  return pair;
}
function digitsValue(text2, from, to) {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text2.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
function restIs(text2, from, key) {
  for (let i = 1; i < key.length; i++) if (text2.charCodeAt(from + i) !== key.charCodeAt(i)) return false;
  return true;
}
function netfilterKeyAt(text2, from, to) {
  const n = to - from;
  if (n < 2 || n > 8) return -1;
  switch (text2.charCodeAt(from)) {
    case 65:
      return n === 3 && restIs(text2, from, "ACK") ? 19 : -1;
    case 67:
      return n === 4 && restIs(text2, from, "CODE") ? 24 : -1;
    case 68:
      if (n !== 3) return -1;
      return restIs(text2, from, "DST") ? 6 : restIs(text2, from, "DPT") ? 17 : -1;
    case 70:
      return n === 7 && restIs(text2, from, "FLOWLBL") ? 14 : -1;
    case 71:
      return n === 3 && restIs(text2, from, "GID") ? 27 : -1;
    case 72:
      return n === 8 && restIs(text2, from, "HOPLIMIT") ? 12 : -1;
    case 73:
      if (n !== 2) return -1;
      return restIs(text2, from, "IN") ? 0 : restIs(text2, from, "ID") ? 8 : -1;
    case 76:
      return n === 3 && restIs(text2, from, "LEN") ? 7 : -1;
    case 77:
      if (n === 3) return restIs(text2, from, "MAC") ? 4 : restIs(text2, from, "MTU") ? 25 : -1;
      return n === 4 && restIs(text2, from, "MARK") ? 28 : -1;
    case 79:
      return n === 3 && restIs(text2, from, "OUT") ? 1 : -1;
    case 80:
      if (n === 5) return restIs(text2, from, "PROTO") ? 15 : -1;
      if (n === 4) return restIs(text2, from, "PREC") ? 10 : -1;
      if (n === 6) return restIs(text2, from, "PHYSIN") ? 2 : -1;
      return n === 7 && restIs(text2, from, "PHYSOUT") ? 3 : -1;
    case 82:
      return n === 3 && restIs(text2, from, "RES") ? 21 : -1;
    case 83:
      if (n !== 3) return -1;
      return restIs(text2, from, "SRC") ? 5 : restIs(text2, from, "SPT") ? 16 : restIs(text2, from, "SEQ") ? 18 : -1;
    case 84:
      if (n === 3) return restIs(text2, from, "TTL") ? 11 : restIs(text2, from, "TOS") ? 9 : -1;
      if (n === 2) return restIs(text2, from, "TC") ? 13 : -1;
      return n === 4 && restIs(text2, from, "TYPE") ? 23 : -1;
    case 85:
      if (n === 4) return restIs(text2, from, "URGP") ? 22 : -1;
      return n === 3 && restIs(text2, from, "UID") ? 26 : -1;
    case 87:
      return n === 6 && restIs(text2, from, "WINDOW") ? 20 : -1;
    default:
      return -1;
  }
}
var FLAG_NAMES = ["CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN", "AE", "DF", "MF", "CE"];
var FIRST_IP_FLAG = 10;
function flagAt(text2, from, to) {
  const n = to - from;
  if (n === 3) {
    switch (text2.charCodeAt(from)) {
      case 67:
        return restIs(text2, from, "CWR") ? 1 : 0;
      case 69:
        return restIs(text2, from, "ECE") ? 2 : 0;
      case 85:
        return restIs(text2, from, "URG") ? 3 : 0;
      case 65:
        return restIs(text2, from, "ACK") ? 4 : 0;
      case 80:
        return restIs(text2, from, "PSH") ? 5 : 0;
      case 82:
        return restIs(text2, from, "RST") ? 6 : 0;
      case 83:
        return restIs(text2, from, "SYN") ? 7 : 0;
      case 70:
        return restIs(text2, from, "FIN") ? 8 : 0;
      default:
        return 0;
    }
  }
  if (n !== 2) return 0;
  switch (text2.charCodeAt(from)) {
    case 65:
      return restIs(text2, from, "AE") ? 9 : 0;
    case 68:
      return restIs(text2, from, "DF") ? 10 : 0;
    case 77:
      return restIs(text2, from, "MF") ? 11 : 0;
    case 67:
      return restIs(text2, from, "CE") ? 12 : 0;
    default:
      return 0;
  }
}
var MAX_CODED_FLAGS = 7;
var codedFlagLists = /* @__PURE__ */ new Map();
function spelled(code) {
  let text2 = FLAG_NAMES[(code & 15) - 1];
  for (let rest = code >>> 4; rest > 0; rest >>>= 4) text2 = `${FLAG_NAMES[(rest & 15) - 1]} ${text2}`;
  return text2;
}
function codedFlagList(code) {
  let list = codedFlagLists.get(code);
  if (list === void 0) {
    list = Object.freeze(spelled(code).split(" "));
    if (codedFlagLists.size < MAX_CACHED) codedFlagLists.set(code, list);
  }
  return list;
}
var lastPrefix = "";
var lastPrefixAction = "log";
var lastPrefixTrimmed = "";
function parseNetfilter(message) {
  const bodyStart = findNetfilterBody(message);
  return bodyStart < 0 ? void 0 : parseNetfilterAt(message, bodyStart);
}
function parseNetfilterAt(message, bodyStart) {
  if (bodyStart !== lastPrefix.length || !hasAt(message, lastPrefix, 0)) {
    lastPrefix = message.slice(0, bodyStart);
    lastPrefixAction = actionFromPrefix(lastPrefix);
    lastPrefixTrimmed = lastPrefix.trim();
  }
  const fields = {};
  const action = lastPrefixAction;
  fields["event.action"] = action;
  fields["event.category"] = NETWORK2;
  fields["event.type"] = action === "allow" ? TYPE_ALLOWED : action === "block" || action === "limit-block" ? TYPE_DENIED : TYPE_CONNECTION;
  if (lastPrefixTrimmed !== "") fields["netfilter.prefix"] = lastPrefixTrimmed;
  let tcpCode = 0;
  let tcpCount = 0;
  let tcpText = "";
  let ipCode = 0;
  let ipCount = 0;
  let ipText = "";
  let sawIpLen = false;
  let sawIpId = false;
  let proto = "";
  let isTcp = false;
  let inIf = "";
  let outIf = "";
  let incomplete = false;
  const end = message.length;
  let pos2 = bodyStart;
  while (pos2 < end) {
    let stop = message.indexOf(" ", pos2);
    if (stop < 0) stop = end;
    if (stop === pos2) {
      pos2++;
      continue;
    }
    const eq = message.indexOf("=", pos2);
    if (eq < 0 || eq >= stop) {
      const flag = flagAt(message, pos2, stop);
      if (flag > 0 && flag < FIRST_IP_FLAG) {
        if (isTcp) {
          if (tcpCount < MAX_CODED_FLAGS) tcpCode = tcpCode * 16 + flag;
          else tcpText = `${tcpCount === MAX_CODED_FLAGS ? spelled(tcpCode) : tcpText} ${FLAG_NAMES[flag - 1]}`;
          tcpCount++;
        }
      } else if (flag > 0) {
        if (ipCount < MAX_CODED_FLAGS) ipCode = ipCode * 16 + flag;
        else ipText = `${ipCount === MAX_CODED_FLAGS ? spelled(ipCode) : ipText} ${FLAG_NAMES[flag - 1]}`;
        ipCount++;
      } else if (stop - pos2 === 10 && hasAt(message, "INCOMPLETE", pos2)) {
        incomplete = true;
      }
      pos2 = stop + 1;
      continue;
    }
    const from = eq + 1;
    switch (netfilterKeyAt(message, pos2, eq)) {
      case 0:
        inIf = message.slice(from, stop);
        break;
      case 1:
        outIf = message.slice(from, stop);
        break;
      case 2:
        fields["netfilter.physin"] = message.slice(from, stop);
        break;
      case 3:
        fields["netfilter.physout"] = message.slice(from, stop);
        break;
      case 4:
        setMac(fields, message.slice(from, stop));
        break;
      case 5:
        fields["source.ip"] = address(message, from, stop);
        break;
      case 6:
        fields["destination.ip"] = address(message, from, stop);
        break;
      case 7: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0 && !sawIpLen) fields["network.packet_length"] = v;
        else if (v !== void 0) fields["netfilter.payload_length"] = v;
        sawIpLen = true;
        break;
      }
      case 8: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0 && !sawIpId) fields["netfilter.ip_id"] = v;
        else if (v !== void 0) fields["netfilter.icmp_id"] = v;
        sawIpId = true;
        break;
      }
      case 9:
        fields["netfilter.tos"] = hexByte(message, from, stop);
        break;
      case 10:
        fields["netfilter.prec"] = hexByte(message, from, stop);
        break;
      case 11: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.ttl"] = v;
        break;
      }
      case 12: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.ttl"] = v;
        break;
      }
      case 13: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.tc"] = v;
        break;
      }
      case 14: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.flow_label"] = v;
        break;
      }
      case 15:
        if (proto === "") {
          proto = protoAt(message, from, stop);
          isTcp = proto === "TCP";
          fields["network.transport"] = transportName(proto);
        }
        break;
      case 16: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["source.port"] = v;
        break;
      }
      case 17: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["destination.port"] = v;
        break;
      }
      case 18: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.tcp_seq"] = v;
        break;
      }
      case 19: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.tcp_ack"] = v;
        break;
      }
      case 20: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.tcp_window"] = v;
        break;
      }
      case 21:
        fields["netfilter.tcp_res"] = hexByte(message, from, stop);
        break;
      case 22: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.tcp_urgp"] = v;
        break;
      }
      case 23: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["icmp.type"] = v;
        break;
      }
      case 24: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["icmp.code"] = v;
        break;
      }
      case 25: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["netfilter.mtu"] = v;
        break;
      }
      case 26: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["user.id"] = v;
        break;
      }
      case 27: {
        const v = numberOrText(message, from, stop);
        if (v !== void 0) fields["group.id"] = v;
        break;
      }
      case 28:
        fields["netfilter.mark"] = message.slice(from, stop);
        break;
      default: {
        const name = `netfilter.${message.slice(pos2, eq).toLowerCase()}`;
        if (!(name in fields)) fields[name] = message.slice(from, stop);
      }
    }
    pos2 = stop + 1;
  }
  if (fields["source.ip"] === void 0 && fields["destination.ip"] === void 0 && inIf === "" && outIf === "") {
    return void 0;
  }
  if (ipCount > 0) fields["netfilter.ip_flags"] = ipCount <= MAX_CODED_FLAGS ? codedFlagList(ipCode) : flagList(ipText);
  if (inIf !== "") fields["observer.ingress.interface.name"] = inIf;
  if (outIf !== "") fields["observer.egress.interface.name"] = outIf;
  fields["network.direction"] = inIf !== "" && outIf === "" ? "inbound" : outIf !== "" && inIf === "" ? "outbound" : "unknown";
  if (inIf !== "" && outIf !== "") fields["netfilter.forwarded"] = true;
  const sourceIp = fields["source.ip"];
  if (typeof sourceIp === "string") fields["network.type"] = sourceIp.includes(":") ? "ipv6" : "ipv4";
  if (tcpCount > 0) fields["netfilter.tcp_flags"] = tcpCount <= MAX_CODED_FLAGS ? codedFlagList(tcpCode) : flagList(tcpText);
  if (incomplete) fields["netfilter.incomplete"] = true;
  return fields;
}
function protoAt(text2, from, to) {
  const n = to - from;
  if (n === 3) {
    if (hasAt(text2, "TCP", from)) return "TCP";
    if (hasAt(text2, "UDP", from)) return "UDP";
  } else if (n === 4 && hasAt(text2, "ICMP", from)) {
    return "ICMP";
  } else if (n === 6 && hasAt(text2, "ICMPv6", from)) {
    return "ICMPv6";
  }
  return text2.slice(from, to);
}
var HEX_BYTES = /* @__PURE__ */ new Map();
function hexByte(text2, from, to) {
  if (to - from === 4 && text2.charCodeAt(from) === 48 && text2.charCodeAt(from + 1) === 120) {
    const key = text2.charCodeAt(from + 2) * 65536 + text2.charCodeAt(from + 3);
    let value = HEX_BYTES.get(key);
    if (value === void 0) {
      value = text2.slice(from, to);
      if (HEX_BYTES.size < MAX_CACHED) HEX_BYTES.set(key, value);
    }
    return value;
  }
  return text2.slice(from, to);
}
var compactAddresses = /* @__PURE__ */ new Map();
function address(text2, from, to) {
  const value = text2.slice(from, to);
  if (!value.includes(":")) return value;
  let compact = compactAddresses.get(value);
  if (compact === void 0) {
    compact = compactIpv6(value);
    if (compactAddresses.size >= MAX_CACHED) compactAddresses.clear();
    compactAddresses.set(value, compact);
  }
  return compact;
}
function numberOrText(text2, from, to) {
  if (to <= from) return void 0;
  const digits = digitsValue(text2, from, to);
  if (digits >= 0) return digits;
  const value = text2.slice(from, to);
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}
function setMac(fields, value) {
  if (value === "") return;
  const pair = macPair(value);
  if (pair !== null) {
    fields["destination.mac"] = pair[0];
    fields["source.mac"] = pair[1];
  } else {
    fields["netfilter.mac"] = value;
  }
}

// micro.ts
var text = new TextDecoder().decode(readFileSync("/tmp/fwab/firewall.log").subarray(0, 3e7));
var msgs = [];
var pos = 0;
for (; ; ) {
  const nl = text.indexOf("\n", pos);
  if (nl < 0) break;
  const line = text.slice(pos, nl);
  const k = line.indexOf("] [UFW");
  msgs.push(line.slice(k + 2));
  pos = nl + 1;
}
var sink = 0;
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  for (const m of msgs) {
    const f = parseNetfilter(m);
    if (f !== void 0) sink++;
  }
  const t = performance.now() - t0;
  console.log(`${(t * 1e3 / msgs.length).toFixed(3)} us/line`);
}
