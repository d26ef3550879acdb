# Thin wrapper over the commands .ci/run uses: build, optionally test and pack.
#   ./build.ps1                       build Toolkit.sln (Release)
#   ./build.ps1 -Configuration Debug -Test
#   ./build.ps1 -Pack                 packages land in artifacts/packages
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    [switch] $Test,
    [switch] $Pack
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

Invoke-Dotnet build Toolkit.sln -c $Configuration
if ($Test) { Invoke-Dotnet test Toolkit.sln -c $Configuration }
if ($Pack) { Invoke-Dotnet pack Toolkit.sln -c $Configuration -o artifacts/packages }
