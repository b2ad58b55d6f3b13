# Sourced by the bench scripts: sets java_home to a JDK 25 ($JAVA_HOME if it is one, else /usr/lib/jvm/*25*).
java_home=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | head -n1 | grep -q '"25'; then
    java_home=$candidate; break
  fi
done
if [ -z "$java_home" ]; then
  echo "no JDK 25 found: set JAVA_HOME (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  exit 1
fi
