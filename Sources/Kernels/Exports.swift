// The types the kernels share with their variants (`Activation`, `Loss`,
// `GEMMBlocking`, `Threading`, …) live in KernelsCore, below the variant
// modules; `import Kernels` brings them with it.
@_exported import KernelsCore
