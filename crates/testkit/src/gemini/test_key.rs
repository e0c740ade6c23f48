//! A service-account key for tests: a throwaway RSA key generated for this crate, which
//! grants nothing anywhere. It exists so a client's real JWT signing (PKCS#8, RS256) runs
//! against [`FakeGemini`](super::FakeGemini)'s token endpoint.

/// PKCS#8 PEM of a 2048-bit RSA key made for these tests only.
pub(super) const TEST_PRIVATE_KEY_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCF3G1INkCElVda\n\
i+vyfHz0O7fDsxz/qVVEU9olbJb7Gx9OqcMQjWlwQpen9tV49jOF0TMSjemIgSdx\n\
O6tJOZFeaiZfJP51BjirAo85sVWInSTYZkdgmIz+KyVeksf9i9BEV/7P6J19+B0x\n\
oDwn9IOp0Dw8F5OjHhoUq3VzosRBFv1sp6nyIBuLd75wTEn24URSgf8F6TeHd6Co\n\
SqmaVQ0nY8p5DEGhiNRTAvnBRuJWAbdtvFQCUzUmZRszOv9CnVhETgSnHzHq/dV+\n\
vxQLijC3JR9bTz9Y/vWD/CBowJCXBogYShhkll4+qoaKCd1AKsxWnjxqaO/tVZbb\n\
UY3PutqTAgMBAAECggEAJf/I1fLwpbJvNbj6pb9JCVvacqdp1/mNxvO2vWDyCx5L\n\
6NywDwbVo5SD0J51Qv1A6v/T67R1Uta3B6HUodjBt3eSpPevdDDr7T+wwMPicAGL\n\
8BI4uOcVPyGoXgx00TjbSktgfkyeSKAiSXAfI4h5x77hGn3m3yswZCW4Fbdi1sby\n\
1xgA0EO5qGS5Teb4nGpig/BYvijvbmSatEQQeMnY1KEDFjsavRpivOpzHXjJp0/H\n\
PSJDNMBzArpSZnrwchdsS9zsREiGgdUCHQZ8InHQTxXoJvyFLpoR4t4/hngIXOeT\n\
mXnAXKcV2o19e1u6waRYWrr/zrMnBityVX4X7YVT4QKBgQC61B1Bxep61hTzT5lo\n\
aGwpbcjeGRTA7HR4vuUJpaD+HTcNL+Z9ad07JEgXtaKEO0EzjQcl/bXxJqzCYu7w\n\
hUEKCZ5+nT+8/W+UyfzLKpci3VUMCmwJ2tU4kc1UZbg70iq+PzrKyCG1tgc+3xDV\n\
ydZwPvBZorB6Xe2xbpjjiZ1ZzQKBgQC3a/j8yD71XIP12/KVxa2l16OK9NfMiQNc\n\
aOQZ3KxUojrxsjFBw+bTXxh0LtCwOcalDjTtaZDia7/DFq1i8I0mY4KNc99rGRm6\n\
0O6h7Hs+tzdKIBxzQw7tCi3iIPs/SivB6EmtZ/QLwHWYPNE0aaCQua0wwE3f0/Q/\n\
BSBmTWsl3wKBgAtf2qAkgpAT9JaTpA1dPiiPjIkpEcBlJPos9RjPQqv172IYJnpA\n\
Nb3iCZmX71sJmICg92xys98Isb/r8gwmsL0BtOqUfErvSxnN6lwcLbNrsj/Xaph3\n\
AEA/cDbRMpRByWRnyRaLdLHxcSN8xTOe5DVVP6DVbNUmXtBMoXZI7JGJAoGBAJvr\n\
HsbS+iHcuRggFkCWv5wAiLcwltj5h2/ggjYxzhRLq8uVbCW5f9giOElbGm8TTfc0\n\
8mz2lgDDE0mlV1KJpZMCeBICc+M4fRS/Uns26TVQzaEnVsfsMx3wzzwwSSNty3CU\n\
Iz1S5rOusMfuuu/Q8nrUO5L7hbdFF5USqI4ONY0FAoGAKO6ACANsjSsXpSLV+hit\n\
YR3QxvIe+kgzDBC5tq2Yk1SeX8FbDAJ+FCXb8KsZ9o2r2x+uMKV6QmyxtLkdJrmG\n\
5FLPV/uM1rCscRQ0k5zwE/OxQnystLvL8abxwGDfPblfr3bQmhSQuBvxXkl3r/SB\n\
G0a6GxnLQphEY8kE0gFjAjw=\n\
-----END PRIVATE KEY-----\n";
