// A thin client: VS Code starts `telegrams lsp` in the workspace folder and shows what it publishes.
const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const configured = vscode.workspace.getConfiguration("telegrams").get("command");
  const command = path.isAbsolute(configured) ? configured : path.join(folder, configured);
  client = new LanguageClient(
    "telegrams",
    "Telegrams edition",
    { command, args: ["lsp"], options: { cwd: folder } },
    { documentSelector: [{ scheme: "file", language: "xml" }] },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
