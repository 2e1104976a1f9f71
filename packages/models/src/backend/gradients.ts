// `@tensorflow/tfjs-core` alone registers no gradient functions; the union package registers
// all of them (and the cpu/webgl backends) when it loads. Every module that differentiates
// imports this file.
import '@tensorflow/tfjs';
