/**
 * @module
 * A blocklist of the most common passwords (NIST SP 800-63B §3.1.1.2: "values known to be
 * commonly-used, expected, or compromised"), from the top of public breach-corpus frequency
 * lists. Short on purpose — the length rule already refuses everything under 8 characters — and
 * checked case-insensitively, also with a trailing run of digits or "!" removed.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword pa55word
  12345678 123456789 1234567890 0123456789 87654321 987654321 11111111 00000000 12341234 11223344
  123123123 123321123 12121212 88888888 66666666 99999999 55555555 22222222 77777777 44444444
  qwertyui qwertyuiop qwerty123 qwerty12 1q2w3e4r 1q2w3e4r5t 1qaz2wsx zaq12wsx qazwsxedc q1w2e3r4
  asdfghjk asdfghjkl zxcvbnm1 zxcvbnm123 abcd1234 abc12345 abcdefgh a1b2c3d4 aa123456 iloveyou
  iloveyou1 sunshine sunshine1 princess princess1 football football1 baseball baseball1 welcome1
  welcome123 letmein1 letmein123 trustno1 superman batman123 starwars starwars1 computer
  michelle jennifer jessica1 charlie1 maverick mustang1 shadow12 master12 whatever dragon12
  monkey12 freedom1 liverpool chelsea1 arsenal1 manchester samsung1 internet elephant
  pokemon1 naruto123 minecraft fortnite 123qweasd qweasdzxc changeme changeme1 default1
  administrator admin123 admin1234 adminadmin rootroot root1234 test1234 testtest testing1
  guest123 secret12 secret123 mypassword letmeinnow hello123 hellohello goodluck
  summer2024 summer2025 summer2026 winter2024 winter2025 winter2026 spring2025 autumn2025
  january1 december november october1 september august12 computer1 whatever1 sunflower
  butterfly chocolate cookie123 pepper12 ginger12 buster12 tigger12 soccer12 hockey12
  jordan23 michael1 charlie123 thomas12 daniel12 andrew12 joshua12 matthew1 jessica12
  qwerty1234 qwertyqwerty asdf1234 zxcv1234 1234qwer 4815162342 147258369 159357456
  741852963 963852741 789456123 123654789 456789123 abc123456 password! passw0rd!
  mfakit123 mfakit2026 correcthorse`
    .split(/\s+/)
    .filter((word) => word.length > 0),
);
