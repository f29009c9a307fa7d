; Inno Setup 6 script for Sensorium on Windows: the installer of the PyInstaller one-folder app.
;
;   make package                                  (on Windows: pyinstaller packaging\sensorium.spec)
;   iscc packaging\windows\sensorium.iss          -> dist\sensorium-<version>-windows-x86_64-setup.exe
;
; The spec builds dist\sensorium\ with sensorium.exe (the window), sensorium-cli.exe (a console for
; --version and --self-test) and _internal\, and renders build\pyinstaller\sensorium.ico from
; assets\icons\sensorium.svg. The version below must equal pyproject.toml's (tests/packaging checks it).
; Installs per user by default (no administrator rights), like ~/.local on Linux; settings, history
; and models stay in the user's profile folders on uninstall.

#define AppName "Sensorium"
#define AppVersion "0.1.0"
#define AppExe "sensorium.exe"
#define SourceDir "..\..\dist\sensorium"
#define IconFile "..\..\build\pyinstaller\sensorium.ico"

[Setup]
AppId={{E1D03AB7-438D-5272-AF2A-60C59BEA9C01}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Sensorium contributors
AppComments=A local-first assistant you can talk to, show pictures to and ask to draw
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=sensorium-{#AppVersion}-windows-x86_64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
; a multi-GB folder (torch, CUDA): fast LZMA2 without solid compression, split into 2 GB slices
Compression=lzma2/fast
SolidCompression=no
DiskSpanning=yes
DiskSliceSize=max
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\{#AppExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#SourceDir}\sensorium-cli.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#SourceDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
