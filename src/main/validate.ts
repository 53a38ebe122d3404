/**
 * Checks applied to everything that reaches main from a renderer: the channel, the sending frame
 * and the arguments. Hand-written type guards over `unknown`; no Electron import, so unit-tested in Node.
 */
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  IpcChannel,
  type DesktopApi,
  type IpcChannelName,
  type OpenEvidenceKind,
  type SaveFileRequest,
  type SaveReportRequest,
} from '../shared/ipc';

//#region origin

/**
 * `scheme://host[:port]` of a URL, or undefined when it does not parse or carries credentials.
 * Node's URL gives origin 'null' for non-special schemes such as app:, so it is rebuilt from the
 * parsed parts; it is the parsed host that is compared, never a string prefix ('app://loupe.evil').
 */
export function appOriginOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  return `${parsed.protocol}//${parsed.host}`;
}

/** True when `url` belongs to the app's own origin, app://loupe. */
export function isAppUrl(url: string): boolean {
  return appOriginOf(url) === APP_ORIGIN;
}

//#endregion

//#region sender

/** The part of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * Why an IPC message from `frame` is refused, or undefined when it is accepted: it must come from
 * a live main frame (no iframe) showing the app origin.
 */
export function senderRefusal(frame: SenderFrame | null | undefined): string | undefined {
  // senderFrame is null when the frame navigated away or was destroyed before the message arrived.
  if (frame === null || frame === undefined) return 'no sender frame';
  if (frame.parent !== null) return 'sender is a subframe';
  if (!isAppUrl(frame.url)) return `sender origin is not ${APP_ORIGIN}`;
  return undefined;
}

//#endregion

//#region channels

const CHANNELS: ReadonlySet<string> = new Set(Object.values(IpcChannel));

export function isIpcChannel(name: unknown): name is IpcChannelName {
  return typeof name === 'string' && CHANNELS.has(name);
}

/** Arguments and result of each channel, taken from the DesktopApi the preload implements. */
export interface ChannelSignatures {
  [IpcChannel.openEvidence]: DesktopApi['openEvidence'];
  [IpcChannel.saveFile]: DesktopApi['saveFile'];
  [IpcChannel.saveReport]: DesktopApi['saveReport'];
}
export type ChannelArgs<C extends IpcChannelName> = Parameters<ChannelSignatures[C]>;
export type ChannelResult<C extends IpcChannelName> = ReturnType<ChannelSignatures[C]>;

/** A type guard over the whole argument list of an IPC call. */
export type ArgsGuard<A extends readonly unknown[]> = (args: readonly unknown[]) => args is A;

//#endregion

//#region arguments

/** Linux NAME_MAX, and what the brief allows for a suggested file name. */
export const MAX_FILE_NAME_LENGTH = 255;
/** Reports and exports are far smaller; a cap keeps a runaway renderer from filling the disk in one call. */
export const MAX_SAVE_BYTES = 1024 * 1024 * 1024;

export function isOpenEvidenceKind(value: unknown): value is OpenEvidenceKind {
  return value === 'files' || value === 'folder';
}

export function isOpenEvidenceArgs(args: readonly unknown[]): args is ChannelArgs<typeof IpcChannel.openEvidence> {
  return args.length === 1 && isOpenEvidenceKind(args[0]);
}

/**
 * A bare file name to seed the save dialog: no separators, no control characters, no bidi
 * overrides (they disguise extensions: 'x\u202Efdp.exe'), not '.' or '..'. It only suggests; the
 * analyst picks the real path in the dialog.
 */
export function isSafeFileName(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value.length === 0 || value.length > MAX_FILE_NAME_LENGTH) return false;
  if (value.trim() === '' || value === '.' || value === '..') return false;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  return !/[/\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(value);
}

/** A Uint8Array (a Buffer is one too); typed arrays of other kinds and DataViews are refused. */
export function isUint8Array(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isSaveFileRequest(value: unknown): value is SaveFileRequest {
  if (!isPlainObject(value)) return false;
  // Exactly the two fields: anything extra is a caller that does not follow the contract.
  const keys = Object.keys(value);
  if (keys.length !== 2 || !keys.includes('suggestedName') || !keys.includes('data')) return false;
  const { suggestedName, data } = value;
  return isSafeFileName(suggestedName) && isUint8Array(data) && data.byteLength <= MAX_SAVE_BYTES;
}

export function isSaveFileArgs(args: readonly unknown[]): args is ChannelArgs<typeof IpcChannel.saveFile> {
  return args.length === 1 && isSaveFileRequest(args[0]);
}

/** Every PDF starts with this header ("%PDF-"). */
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d];

/** A report: a safe name ending in .pdf, and bytes that begin as a PDF does. */
export function isSaveReportRequest(value: unknown): value is SaveReportRequest {
  if (!isSaveFileRequest(value)) return false;
  const { suggestedName, data } = value;
  return /\.pdf$/i.test(suggestedName) && data.byteLength > PDF_MAGIC.length && PDF_MAGIC.every((b, i) => data[i] === b);
}

export function isSaveReportArgs(args: readonly unknown[]): args is ChannelArgs<typeof IpcChannel.saveReport> {
  return args.length === 1 && isSaveReportRequest(args[0]);
}

//#endregion
